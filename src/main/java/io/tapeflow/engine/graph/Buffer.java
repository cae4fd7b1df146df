package io.tapeflow.engine.graph;

/**
 * Storage of a plan value. A batched value ({@code (None, ...)}) is stored feature-major: one array per feature
 * ({@code width} of them, the non-batch dimensions flattened), each holding the batch rows, so the kernels' inner
 * loops run over the batch with one shared index and the JIT vectorises them. A value without a batch dimension is
 * one row-major array of {@code width} values ({@code rows[0]}).
 */
final class Buffer {

    final boolean batched;
    final int width;
    float[][] rows;

    Buffer(boolean batched, int width, int capacity) {
        this.batched = batched;
        this.width = width;
        this.rows = batched ? new float[width][capacity] : new float[1][width];
    }

    /** Makes room for {@code capacity} batch rows; the old values are dropped (they are recomputed every run). */
    void grow(int capacity) {
        if (batched && (width == 0 || rows[0].length < capacity)) {
            rows = new float[width][capacity];
        }
    }

    /** Sets the first {@code n} batch rows from {@code values}, row-major ({@code n × width} values). */
    void fromRowMajor(float[] values, int n) {
        int w = width;
        for (int c = 0; c < w; c++) {
            float[] row = rows[c];
            for (int i = 0, at = c; i < n; i++, at += w) {
                row[i] = values[at];
            }
        }
    }

    /** Writes the first {@code n} batch rows into {@code out}, row-major. */
    void toRowMajor(float[] out, int n) {
        int w = width;
        for (int c = 0; c < w; c++) {
            float[] row = rows[c];
            for (int i = 0, at = c; i < n; i++, at += w) {
                out[at] = row[i];
            }
        }
    }
}
