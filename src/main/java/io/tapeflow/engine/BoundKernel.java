package io.tapeflow.engine;

/**
 * An op's eager forward kernel bound once to arrays its caller owns: a traced plan runs every op it has no step of its
 * own for this way (slices, concats, transposes, broadcasts between values without a batch...), on its buffers or on
 * row-major copies of its batched ones, so those parts compute exactly what eager mode computes. The arrays are
 * wrapped, not copied, and never escape.
 */
public final class BoundKernel {

    private final Op op;
    private final Tensor[] inputs;
    private final int[] shape;
    private final float[] out;

    /**
     * Binds {@code op} to input arrays of the given shapes and an output array of shape {@code outShape}: a plan's
     * node knows that shape where the op's own inference leaves a dimension unknown (a broadcast to a traced value's
     * symbolic shape); the op's inference must agree with it elsewhere.
     */
    public BoundKernel(Op op, float[][] inputs, int[][] shapes, int[] outShape, float[] out) {
        this.op = op;
        this.inputs = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Shapes.checkValid(shapes[k], op.type());
            if (inputs[k].length != Shapes.size(shapes[k])) {
                throw new IllegalArgumentException(op.type() + ": input " + k + " has " + inputs[k].length
                        + " values for shape " + Shapes.toString(shapes[k]));
            }
            this.inputs[k] = Tensor.owning(inputs[k], shapes[k].clone());
        }
        int[] inferred = op.outputShape(shapes);
        Shapes.checkValid(outShape, op.type());
        this.shape = outShape.clone();
        if (!Shapes.matches(inferred, shape)) {
            throw new IllegalArgumentException(op.type() + ": output shape " + Shapes.toString(inferred)
                    + " for these inputs, not " + Shapes.toString(shape));
        }
        if (out.length != Shapes.size(shape)) {
            throw new IllegalArgumentException(op.type() + ": output of " + out.length + " values for shape "
                    + Shapes.toString(shape));
        }
        this.out = out;
    }

    /** Computes the output in place; it starts from zeros, as every kernel expects (padding writes only its interior). */
    public void run() {
        java.util.Arrays.fill(out, 0f);
        op.forward(inputs, shape, out);
    }
}
