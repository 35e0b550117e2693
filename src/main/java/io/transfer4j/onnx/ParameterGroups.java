package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.GraphProto;
import io.transfer4j.onnx.proto.Onnx.NodeProto;
import io.transfer4j.onnx.proto.Onnx.TensorProto;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the structural group of each initializer ("embeddings", "encoder.layer.3", "pooler";
 * "layer1", "features.4" for CNNs), so that later code can freeze the first k groups or give each
 * its own learning rate. A group comes from the initializer's own dotted name when it has one
 * (PyTorch exports keep module paths), else from the path of the first node that consumes it
 * (exporters name nodes like "/encoder/layer.3/attention/self/query/MatMul").
 */
public final class ParameterGroups {
    private static final Pattern INDEXED = Pattern.compile("^(.*?[._/]?\\d+)(?:[._/]|$)");

    private ParameterGroups() {}

    public static Map<String, String> of(GraphProto g) {
        Map<String, String> consumer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                consumer.putIfAbsent(in, n.getName());
            }
        }
        Map<String, String> out = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            out.put(t.getName(), groupOf(t.getName(), consumer.getOrDefault(t.getName(), "")));
        }
        return out;
    }

    static String groupOf(String initializer, String consumerNode) {
        String path;
        if (initializer.contains(".") && !initializer.startsWith("onnx::")) {
            path = initializer.substring(0, initializer.lastIndexOf('.'));
        } else {
            path = consumerNode.startsWith("/") ? consumerNode.substring(1) : consumerNode;
            int slash = path.lastIndexOf('/');
            path = slash < 0 ? "" : path.substring(0, slash);
        }
        path = path.replace('/', '.');
        if (path.isEmpty()) {
            return "graph";
        }
        Matcher m = INDEXED.matcher(path);
        if (m.find()) {
            return m.group(1);
        }
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
