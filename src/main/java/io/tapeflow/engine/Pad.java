package io.tapeflow.engine;

import java.util.Arrays;

/** Surrounds a tensor with zeros: {@code before[d]} and {@code after[d]} zeros on axis d. */
public record Pad(int[] before, int[] after) implements Op {

    @Override
    public String type() {
        return "Pad";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        if (before.length != s.length || after.length != s.length) {
            throw new IllegalArgumentException("Pad: paddings " + Arrays.toString(before) + " / "
                    + Arrays.toString(after) + " must have one entry per axis of shape " + Shapes.toString(s));
        }
        int[] out = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            if (before[d] < 0 || after[d] < 0) {
                throw new IllegalArgumentException("Pad: negative padding " + Arrays.toString(before) + " / "
                        + Arrays.toString(after));
            }
            out[d] = s[d] == Shapes.UNKNOWN ? Shapes.UNKNOWN : s[d] + before[d] + after[d];
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.copyBox(out, shape, before, in[0].data, in[0].shape, false);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.slice(g, before, in[0].shape)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(before=" + Arrays.toString(before) + ", after=" + Arrays.toString(after) + ")";
    }
}
