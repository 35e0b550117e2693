package io.transfer4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Token ids for a trainable text encoder: each batch is padded to its longest row and given as
 * the encoder's own inputs, in its input order (input_ids, attention_mask, token_type_ids).
 */
public record EncoderRows(long[][] ids, List<String> inputNames) implements Rows {
    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public NDList batch(NDManager manager, int[] rows) {
        return inputs(manager, PaddedIds.of(ids, rows), inputNames);
    }

    /** Padded ids as an encoder's inputs in its order: ids, the mask, zero token types. */
    static NDList inputs(NDManager manager, PaddedIds p, List<String> inputNames) {
        Shape s = new Shape(p.rows(), p.length());
        NDList out = new NDList();
        for (String name : inputNames) {
            out.add(name.contains("mask") ? manager.create(p.mask(), s)
                    : name.contains("type") ? manager.zeros(s, ai.djl.ndarray.types.DataType.INT64) : manager.create(p.ids(), s));
        }
        return out;
    }

    @Override
    public Shape[] shapes(int n) {
        return inputNames.stream().map(x -> new Shape(n, 8)).toArray(Shape[]::new);
    }
}
