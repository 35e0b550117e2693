package io.transfer4j.onnx;

import java.util.List;
import java.util.Map;

/**
 * What an ONNX graph is made of.
 *
 * @param opHistogram op type (with its domain when not the default) to node count, most used first
 * @param groups parameter group to its float parameter count, in graph order
 * @param unsupported op types transfer4j cannot execute yet, each with the nodes that use it
 */
public record Inspection(String file, long irVersion, long opset, String producer, List<String> inputs,
        List<String> outputs, Map<String, Integer> opHistogram, int initializers, long floatParameters,
        long otherConstants, Map<String, Long> groups, Map<String, List<String>> unsupported) {}
