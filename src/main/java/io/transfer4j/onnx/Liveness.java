package io.transfer4j.onnx;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.transfer4j.onnx.proto.Onnx.NodeProto;

/**
 * When each value of a graph is read for the last time, so that the interpreter drops its handle
 * right after, as eager PyTorch drops a Python reference: what backward needs stays alive through
 * autograd's own reference to the tensor, everything else (pre-softmax scores, the pieces of an
 * erf GELU, casts and shapes) is freed during the forward pass instead of after the step.
 */
final class Liveness {
    /** Per node index: the values whose last reader it is (or whose producer it is, when nothing reads them). */
    private final List<List<String>> releaseAfter;

    Liveness(List<NodeProto> nodes, Collection<String> graphOutputs) {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) {
                    last.put(out, i);
                }
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    last.put(in, i);
                }
            }
        }
        Set<String> kept = new HashSet<>(graphOutputs);
        releaseAfter = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            releaseAfter.add(new ArrayList<>());
        }
        last.forEach((name, i) -> {
            if (!kept.contains(name)) {
                releaseAfter.get(i).add(name);
            }
        });
    }

    List<String> releaseAfter(int node) {
        return releaseAfter.get(node);
    }

    /**
     * The interpreter's name-to-value table, counting how many names hold each array (an Identity
     * or a no-op Reshape returns its input): an array is closed when its last name is released,
     * unless it belongs to the caller (inputs, weights, constants).
     */
    static final class Values {
        private final Map<String, NDArray> byName = new HashMap<>();
        private final Map<NDArray, Integer> names = new IdentityHashMap<>();
        private final Set<NDArray> persistent;

        Values(Set<NDArray> persistent) {
            this.persistent = persistent;
        }

        NDArray get(String name) {
            return byName.get(name);
        }

        void put(String name, NDArray value) {
            NDArray old = byName.put(name, value);
            names.merge(value, 1, Integer::sum);
            if (old != null) {
                drop(old);
            }
        }

        void release(String name) {
            NDArray v = byName.remove(name);
            if (v != null) {
                drop(v);
            }
        }

        private void drop(NDArray v) {
            int left = names.merge(v, -1, Integer::sum);
            if (left <= 0) {
                names.remove(v);
                if (!persistent.contains(v)) {
                    v.close();
                }
            }
        }
    }
}
