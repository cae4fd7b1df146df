package io.tapeflow.engine;

import java.util.Arrays;

/** The box of {@code size} starting at {@code begin}; a size of -1 runs to the end of that axis. */
public record Slice(int[] begin, int[] size) implements Op {

    @Override
    public String type() {
        return "Slice";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        if (begin.length != s.length || size.length != s.length) {
            throw new IllegalArgumentException("Slice: begin " + Arrays.toString(begin) + " and size "
                    + Arrays.toString(size) + " must have one entry per axis of shape " + Shapes.toString(s));
        }
        int[] out = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            out[d] = size[d] == -1 ? (s[d] == Shapes.UNKNOWN ? Shapes.UNKNOWN : s[d] - begin[d]) : size[d];
            boolean inside = begin[d] >= 0 && out[d] >= -1
                    && (s[d] == Shapes.UNKNOWN || begin[d] + Math.max(out[d], 0) <= s[d]);
            if (!inside) {
                throw new IllegalArgumentException("Slice: begin " + Arrays.toString(begin) + " size "
                        + Arrays.toString(size) + " is outside shape " + Shapes.toString(s));
            }
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.copyBox(in[0].data, in[0].shape, begin, out, shape, true);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        int[] s = in[0].shape;
        int[] after = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            after[d] = s[d] - begin[d] - out.shape[d];
        }
        return new Tensor[] {Ops.pad(g, begin, after)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(begin=" + Arrays.toString(begin) + ", size=" + Arrays.toString(size) + ")";
    }
}
