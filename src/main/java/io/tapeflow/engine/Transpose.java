package io.tapeflow.engine;

import java.util.Arrays;

/** Permutes the axes: output axis d is input axis {@code perm[d]}. */
public record Transpose(int[] perm) implements Op {

    @Override
    public String type() {
        return "Transpose";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        boolean[] seen = new boolean[s.length];
        boolean valid = perm.length == s.length;
        for (int i = 0; valid && i < perm.length; i++) {
            valid = perm[i] >= 0 && perm[i] < s.length && !seen[perm[i]];
            if (valid) {
                seen[perm[i]] = true;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("Transpose: " + Arrays.toString(perm)
                    + " is not a permutation of the axes of shape " + Shapes.toString(s));
        }
        int[] out = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            out[d] = s[perm[d]];
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.transpose(in[0].data, in[0].shape, perm, out, shape);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        int[] inverse = new int[perm.length];
        for (int d = 0; d < perm.length; d++) {
            inverse[perm[d]] = d;
        }
        return new Tensor[] {Ops.transpose(g, inverse)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(perm=" + Arrays.toString(perm) + ")";
    }
}
