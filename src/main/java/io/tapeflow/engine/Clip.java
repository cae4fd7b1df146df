package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.greaterEqual;
import static io.tapeflow.engine.Ops.lessEqual;
import static io.tapeflow.engine.Ops.mul;

/** {@code min(max(x, min), max)}; the gradient passes where x lies inside the bounds (inclusive), as in TensorFlow. */
public record Clip(float min, float max) implements Op {

    public Clip {
        if (!(min <= max)) {
            throw new IllegalArgumentException("ClipByValue: min " + min + " must not exceed max " + max);
        }
    }

    @Override
    public String type() {
        return "ClipByValue";
    }

    @Override
    public int[] outputShape(int[][] in) {
        return in[0];
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        apply(in[0].data, out, out.length);
    }

    /** {@code out[i] = min(max(x[i], min), max)} for i &lt; n: eager mode's loop and graph plans'. */
    public void apply(float[] x, float[] out, int n) {
        float lo = min;
        float hi = max;
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(Math.max(x[i], lo), hi);
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor x = in[0];
        Tensor inside = mul(greaterEqual(x, Tensor.scalar(min)), lessEqual(x, Tensor.scalar(max)));
        return new Tensor[] {mul(g, inside)};
    }
}
