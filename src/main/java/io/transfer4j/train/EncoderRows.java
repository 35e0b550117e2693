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
        int len = 1;
        for (int r : rows) {
            len = Math.max(len, ids[r].length);
        }
        long[] flat = new long[rows.length * len];
        long[] mask = new long[rows.length * len];
        for (int k = 0; k < rows.length; k++) {
            long[] row = ids[rows[k]];
            System.arraycopy(row, 0, flat, k * len, row.length);
            java.util.Arrays.fill(mask, k * len, k * len + row.length, 1L);
        }
        Shape s = new Shape(rows.length, len);
        NDList out = new NDList();
        for (String name : inputNames) {
            out.add(name.contains("mask") ? manager.create(mask, s)
                    : name.contains("type") ? manager.zeros(s, ai.djl.ndarray.types.DataType.INT64) : manager.create(flat, s));
        }
        return out;
    }

    @Override
    public Shape[] shapes(int n) {
        return inputNames.stream().map(x -> new Shape(n, 8)).toArray(Shape[]::new);
    }
}
