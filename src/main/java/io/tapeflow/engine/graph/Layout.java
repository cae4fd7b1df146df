package io.tapeflow.engine.graph;

import io.tapeflow.engine.Shapes;

/** Where a shape's values live in a plan: the batch dimension may only be the first. */
final class Layout {

    private Layout() {
    }

    /** The number of values per batch row (batched) or in all (not batched). */
    static int width(int[] shape) {
        int w = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == Shapes.UNKNOWN) {
                if (i != 0) {
                    throw new IllegalArgumentException("graph mode keeps the batch dimension first, got shape "
                            + Shapes.toString(shape));
                }
            } else {
                w *= shape[i];
            }
        }
        return w;
    }

    /** The shape with the batch dimension, if it has one, set to {@code rows}. */
    static int[] withBatch(int[] shape, int rows) {
        int[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == Shapes.UNKNOWN) {
                out[i] = rows;
            }
        }
        return out;
    }
}
