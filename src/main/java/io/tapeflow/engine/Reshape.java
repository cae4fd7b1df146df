package io.tapeflow.engine;

import java.util.Arrays;

/** Same values, new shape; one dimension of the target may be -1 and is then inferred. */
public record Reshape(int[] shape) implements Op {

    @Override
    public String type() {
        return "Reshape";
    }

    @Override
    public int[] outputShape(int[][] in) {
        int[] s = in[0];
        int[] out = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < out.length; d++) {
            if (out[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("Reshape: more than one -1 in " + Arrays.toString(shape));
                }
                inferred = d;
            } else if (out[d] < 0) {
                throw new IllegalArgumentException("Reshape: negative dimension in " + Arrays.toString(shape));
            } else {
                known *= out[d];
            }
        }
        boolean inputKnown = true;
        for (int d : s) {
            inputKnown &= d != Shapes.UNKNOWN;
        }
        if (!inputKnown) {
            return out; // symbolic: a traced batch dimension stays unknown
        }
        int size = Shapes.size(s);
        if (inferred >= 0 && known > 0 && size % known == 0) {
            out[inferred] = (int) (size / known);
        }
        if (inferred >= 0 && out[inferred] == -1 || Shapes.size(out) != size) {
            throw new IllegalArgumentException("Reshape: cannot reshape a tensor of shape " + Shapes.toString(s)
                    + " (" + size + " values) to " + Arrays.toString(shape));
        }
        return out;
    }

    @Override
    public void forward(Tensor[] in, int[] outShape, float[] out) {
        System.arraycopy(in[0].data, 0, out, 0, out.length);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {Ops.reshape(g, in[0].shape)};
    }

    /** The arrays' contents, not their identities: refusals and graph dumps print this. */
    @Override
    public String toString() {
        return type() + "(shape=" + Arrays.toString(shape) + ")";
    }
}
