package io.tapeflow.engine;

/**
 * One operation kind together with its attributes (axes, keepDims, clip bounds, shapes...): the unit that
 * {@link Dispatch} runs, a {@link GradientTape} records and a {@link Tracer} captures.
 *
 * <p>Each implementation keeps its three parts side by side: shape inference (which must accept {@link Shapes#UNKNOWN}
 * dimensions, so a tracer can infer symbolic shapes without data), the forward kernel, and the gradient rule.
 */
public interface Op {

    /** The op's type as TensorFlow spells it ({@code MatMul}, {@code Relu}), for error messages and graph dumps. */
    String type();

    /** The output shape for these input shapes; throws with the op's name and the shapes when they do not fit. */
    int[] outputShape(int[][] inputShapes);

    /** Computes the output values into {@code out}, which has the size of {@code outputShape}. */
    void forward(Tensor[] inputs, int[] outputShape, float[] out);

    /**
     * The gradients of the inputs, given the gradient {@code upstream} of the output, written with the public
     * {@link Ops} so that an enclosing tape records them (second-order gradients) and a tracer can reuse them.
     * An entry may be {@code null} when that input gets no gradient or when {@code needed[i]} is false.
     */
    default Tensor[] gradient(Tensor[] inputs, Tensor output, Tensor upstream, boolean[] needed) {
        throw new IllegalStateException("No gradient is defined for op " + type());
    }
}
