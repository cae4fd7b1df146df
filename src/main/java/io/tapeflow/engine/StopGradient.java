package io.tapeflow.engine;

/** The identity in the forward pass; blocks every gradient through it. */
public enum StopGradient implements Op {
    INSTANCE;

    @Override
    public String type() {
        return "StopGradient";
    }

    @Override
    public String toString() {
        return type();
    }

    @Override
    public int[] outputShape(int[][] in) {
        return in[0];
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        System.arraycopy(in[0].data, 0, out, 0, out.length);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        return new Tensor[] {null};
    }
}
