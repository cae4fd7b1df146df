package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.broadcastTo;
import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.equal;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.reshape;
import static io.tapeflow.engine.Ops.sum;

import java.util.Arrays;

/**
 * Sum, mean or max over axes ({@code null}: every axis; empty: none, as in NumPy and TensorFlow), keeping reduced axes
 * as 1 if asked.
 */
public record Reduce(Kind kind, int[] axes, boolean keepDims) implements Op {

    public enum Kind { SUM, MEAN, MAX }

    @Override
    public String type() {
        return switch (kind) {
            case SUM -> "Sum";
            case MEAN -> "Mean";
            case MAX -> "Max";
        };
    }

    @Override
    public int[] outputShape(int[][] in) {
        return Shapes.reduced(in[0], Shapes.axes(axes, in[0].length, type()), keepDims);
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.reduce(kind, in[0].data, in[0].shape, Shapes.axes(axes, in[0].shape.length, type()), out);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor x = in[0];
        int[] sorted = Shapes.axes(axes, x.shape.length, type());
        int[] kept = Shapes.reduced(x.shape, sorted, true);
        Tensor dx = switch (kind) {
            case SUM -> broadcastTo(reshape(g, kept), x.shape);
            case MEAN -> broadcastTo(reshape(div(g, count(x, sorted)), kept), x.shape);
            case MAX -> {
                // Ties share the gradient equally, as in TensorFlow.
                Tensor gk = reshape(g, kept);
                Tensor chosen = equal(x, reshape(out, kept));
                yield div(mul(chosen, gk), sum(chosen, sorted, true));
            }
        };
        return new Tensor[] {dx};
    }

    /**
     * The number of values each output of a mean averages, from the static shape: a constant when every reduced axis
     * is known (always, eagerly), else a {@link ReducedCount} value that a traced plan computes for each batch. The
     * one definition of a mean's divisor for both modes; never read from a size, which a symbolic tensor lacks.
     */
    private Tensor count(Tensor x, int[] sortedAxes) {
        int count = 1;
        for (int a : sortedAxes) {
            if (x.shape[a] == Shapes.UNKNOWN) {
                return Dispatch.apply(new ReducedCount(sortedAxes), x);
            }
            count *= x.shape[a];
        }
        return Tensor.scalar(count);
    }

    @Override
    public String toString() {
        return type() + "(axes=" + (axes == null ? "all" : Arrays.toString(axes)) + ", keepDims=" + keepDims + ")";
    }
}
