package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.sumToShape;

/** {@code where(condition, a, b)}: a where the condition is non-zero, b elsewhere; all three broadcast. */
public enum Where implements Op {
    INSTANCE;

    @Override
    public String type() {
        return "SelectV2";
    }

    @Override
    public String toString() {
        return type();
    }

    @Override
    public int[] outputShape(int[][] in) {
        return Shapes.broadcast(Shapes.broadcast(in[0], in[1], "SelectV2"), in[2], "SelectV2");
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.where(in[0].data, in[0].shape, in[1].data, in[1].shape, in[2].data, in[2].shape, out, shape);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor zero = Tensor.scalar(0f);
        return new Tensor[] {
                null, // the condition is not differentiable
                needed[1] ? sumToShape(Ops.where(in[0], g, zero), in[1].shape) : null,
                needed[2] ? sumToShape(Ops.where(in[0], zero, g), in[2].shape) : null};
    }
}
