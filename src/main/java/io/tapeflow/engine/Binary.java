package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.greater;
import static io.tapeflow.engine.Ops.log;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.neg;
import static io.tapeflow.engine.Ops.pow;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.sumToShape;
import static io.tapeflow.engine.Ops.where;

/**
 * Elementwise binary ops with NumPy broadcasting. Comparisons return 1 or 0 and are not differentiable: their
 * inputs get no gradient from them (as in TensorFlow), which is what makes masks in gradient rules work.
 */
public enum Binary implements Op {
    ADD("AddV2", Family.ARITHMETIC),
    SUB("Sub", Family.ARITHMETIC),
    MUL("Mul", Family.ARITHMETIC),
    DIV("RealDiv", Family.ARITHMETIC),
    POW("Pow", Family.POWER),
    GREATER("Greater", Family.COMPARISON),
    GREATER_EQUAL("GreaterEqual", Family.COMPARISON),
    LESS("Less", Family.COMPARISON),
    LESS_EQUAL("LessEqual", Family.COMPARISON),
    EQUAL("Equal", Family.COMPARISON),
    NOT_EQUAL("NotEqual", Family.COMPARISON);

    /** Which loops a kind has: a declared property, so no order of the constants means anything. */
    private enum Family { ARITHMETIC, POWER, COMPARISON }

    private final String opName;
    private final Family family;

    Binary(String opName, Family family) {
        this.opName = opName;
        this.family = family;
    }

    /** Add, sub, mul and div: the kinds with a contiguous fast path. */
    public boolean isArithmetic() {
        return family == Family.ARITHMETIC;
    }

    public boolean isComparison() {
        return family == Family.COMPARISON;
    }

    @Override
    public String type() {
        return opName;
    }

    @Override
    public String toString() {
        return opName;
    }

    @Override
    public int[] outputShape(int[][] in) {
        return Shapes.broadcast(in[0], in[1], opName);
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        Kernels.binary(this, in[0].data, in[0].shape, in[1].data, in[1].shape, out, shape);
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor a = in[0];
        Tensor b = in[1];
        int[] as = a.shape;
        int[] bs = b.shape;
        return switch (this) {
            case ADD -> new Tensor[] {sumToShape(g, as), sumToShape(g, bs)};
            case SUB -> new Tensor[] {sumToShape(g, as), needed[1] ? sumToShape(neg(g), bs) : null};
            case MUL -> new Tensor[] {
                    needed[0] ? sumToShape(mul(g, b), as) : null,
                    needed[1] ? sumToShape(mul(g, a), bs) : null};
            case DIV -> new Tensor[] {
                    needed[0] ? sumToShape(div(g, b), as) : null,
                    needed[1] ? sumToShape(neg(mul(g, div(out, b))), bs) : null};
            case POW -> new Tensor[] {
                    needed[0] ? sumToShape(mul(g, mul(b, pow(a, sub(b, Tensor.scalar(1f))))), as) : null,
                    // log(a) only where a > 0, as TensorFlow does, so a zero base does not poison the gradient.
                    needed[1] ? sumToShape(mul(g, mul(out, where(greater(a, Tensor.scalar(0f)), log(a),
                            Tensor.scalar(0f)))), bs) : null};
            case GREATER, GREATER_EQUAL, LESS, LESS_EQUAL, EQUAL, NOT_EQUAL -> new Tensor[] {null, null};
        };
    }
}
