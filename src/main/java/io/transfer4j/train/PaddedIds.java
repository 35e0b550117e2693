package io.transfer4j.train;

/**
 * Selected rows of variable-length id sequences, padded with zeros to the longest of them, as
 * flat row-major arrays with a 1/0 mask.
 */
record PaddedIds(int rows, int length, long[] ids, long[] mask) {
    static PaddedIds of(long[][] sequences, int[] rows) {
        int len = 1;
        for (int r : rows) {
            len = Math.max(len, sequences[r].length);
        }
        long[] flat = new long[rows.length * len];
        long[] mask = new long[rows.length * len];
        for (int k = 0; k < rows.length; k++) {
            long[] row = sequences[rows[k]];
            System.arraycopy(row, 0, flat, k * len, row.length);
            java.util.Arrays.fill(mask, k * len, k * len + row.length, 1L);
        }
        return new PaddedIds(rows.length, len, flat, mask);
    }
}
