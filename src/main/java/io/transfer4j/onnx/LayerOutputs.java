package io.transfer4j.onnx;

import io.transfer4j.onnx.proto.Onnx.NodeProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds each indexed layer's output in an exported graph: for every group of nodes named under an
 * indexed module path ("/encoder/layer.3/...", "/layer2/..."), the output of the group's last node
 * in graph order. These are the cut points for taking features from inner layers.
 */
public final class LayerOutputs {
    private static final Pattern INDEXED = Pattern.compile("^/?((?:[^/]+/)*?[^/]*?[._]?\\d+)/");

    private LayerOutputs() {}

    /** Layer name ("encoder.layer.3") to the tensor its last node produces, in graph order. */
    public static Map<String, String> of(OnnxFile f) {
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeProto n : f.model().getGraph().getNodeList()) {
            Matcher m = INDEXED.matcher(n.getName());
            // quantisation of the next layer's input is named under this layer, but its output is int8
            boolean quantiser = n.getOpType().equals("DynamicQuantizeLinear") || n.getOpType().equals("QuantizeLinear");
            if (!quantiser && m.find() && n.getOutputCount() > 0) {
                String layer = m.group(1).replace('/', '.');
                out.remove(layer); // keep insertion order at the layer's last node
                out.put(layer, n.getOutput(0));
            }
        }
        return out;
    }
}
