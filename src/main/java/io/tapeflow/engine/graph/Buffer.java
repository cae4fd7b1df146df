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
}
