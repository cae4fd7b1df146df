package io.tapeflow.engine;

import java.util.Arrays;

/**
 * The number of values a reduction over {@code axes} (every axis when null) averages, as a scalar: the divisor of a
 * mean's gradient where a reduced axis is the dynamic batch of a traced graph, so the count is a value of the plan
 * rather than a constant. Eagerly (every shape known) {@link Reduce} uses a constant instead.
 */
public record ReducedCount(int[] axes) implements Op {

    @Override
    public String type() {
        return "ReducedCount";
    }

    @Override
    public int[] outputShape(int[][] in) {
        Shapes.axes(axes, in[0].length, type());
        return new int[0];
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        out[0] = count(in[0].shape, axes, 0);
    }

    /** The count for {@code shape}, where an unknown dimension stands for {@code batch} rows. */
    public static int count(int[] shape, int[] axes, int batch) {
        int count = 1;
        for (int a : Shapes.axes(axes, shape.length, "ReducedCount")) {
            count *= shape[a] == Shapes.UNKNOWN ? batch : shape[a];
        }
        return count;
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {null}; // depends only on the input's shape
    }

    @Override
    public String toString() {
        return type() + Arrays.toString(axes);
    }
}
