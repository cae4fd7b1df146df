package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.broadcastTo;
import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.equal;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.reshape;
import static io.tapeflow.engine.Ops.sum;

import java.util.Arrays;

/** Sum, mean or max over axes (all axes when {@code axes} is empty), keeping reduced axes as 1 if asked. */
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
        Tensor gk = reshape(g, kept);
        Tensor dx = switch (kind) {
            case SUM -> broadcastTo(gk, x.shape);
            case MEAN -> {
                int count = Math.max(1, x.size() / Math.max(1, out.size()));
                yield broadcastTo(div(gk, Tensor.scalar(count)), x.shape);
            }
            case MAX -> {
                // Ties share the gradient equally, as in TensorFlow.
                Tensor chosen = equal(x, reshape(out, kept));
                yield div(mul(chosen, gk), sum(chosen, sorted, true));
            }
        };
        return new Tensor[] {dx};
    }

    @Override
    public String toString() {
        return type() + "(axes=" + Arrays.toString(axes) + ", keepDims=" + keepDims + ")";
    }
}
