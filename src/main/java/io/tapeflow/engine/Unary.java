package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.cos;
import static io.tapeflow.engine.Ops.div;
import static io.tapeflow.engine.Ops.greater;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.neg;
import static io.tapeflow.engine.Ops.sigmoid;
import static io.tapeflow.engine.Ops.sign;
import static io.tapeflow.engine.Ops.sin;
import static io.tapeflow.engine.Ops.square;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.where;

/**
 * Elementwise unary ops: the forward loops and the gradient rules, one switch each, in the same order. Eager mode and
 * graph plans both run {@link #apply}, so the two compute the same bits.
 */
public enum Unary implements Op {
    NEG("Neg"),
    SQUARE("Square"),
    SQRT("Sqrt"),
    EXP("Exp"),
    LOG("Log"),
    ABS("Abs"),
    SIGN("Sign"),
    RELU("Relu"),
    SIGMOID("Sigmoid"),
    TANH("Tanh"),
    SOFTPLUS("Softplus"),
    SIN("Sin"),
    COS("Cos");

    private final String opName;

    Unary(String opName) {
        this.opName = opName;
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
        return in[0];
    }

    @Override
    public void forward(Tensor[] in, int[] shape, float[] out) {
        apply(in[0].data, out, out.length);
    }

    /** {@code out[i] = kind(x[i])} for i &lt; n; {@code out} may be {@code x} (in place). */
    public void apply(float[] x, float[] out, int n) {
        switch (this) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    out[i] = -x[i];
                }
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = x[i] * x[i];
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.sqrt(x[i]);
                }
            }
            case EXP -> FastMath.exp(x, out, n);
            case LOG -> FastMath.log(x, out, n);
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.abs(x[i]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.signum(x[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    // max, not a branch: vectorised, and no mispredictions on activations of random sign
                    out[i] = Math.max(x[i], 0f);
                }
            }
            case SIGMOID -> FastMath.sigmoid(x, out, n);
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.tanh(x[i]);
                }
            }
            case SOFTPLUS -> {
                // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large |x|.
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    out[i] = (float) (Math.max(v, 0f) + Math.log1p(Math.exp(-Math.abs(v))));
                }
            }
            case SIN -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.sin(x[i]);
                }
            }
            case COS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.cos(x[i]);
                }
            }
        }
    }

    @Override
    public Tensor[] gradient(Tensor[] in, Tensor y, Tensor g, boolean[] needed) {
        Tensor x = in[0];
        Tensor one = Tensor.scalar(1f);
        Tensor dx = switch (this) {
            case NEG -> neg(g);
            case SQUARE -> mul(g, mul(x, Tensor.scalar(2f)));
            case SQRT -> div(g, mul(y, Tensor.scalar(2f)));
            case EXP -> mul(g, y);
            case LOG -> div(g, x);
            case ABS -> mul(g, sign(x));
            // Zero almost everywhere: zeros like x, as TensorFlow registers (so the source is connected, not None).
            // A select of 0 rather than g * 0, which would turn an infinite upstream into NaN; it traces batched.
            case SIGN -> where(Tensor.scalar(0f), g, Tensor.scalar(0f));
            case RELU -> mul(g, greater(x, Tensor.scalar(0f)));
            case SIGMOID -> mul(g, mul(y, sub(one, y)));
            case TANH -> mul(g, sub(one, square(y)));
            case SOFTPLUS -> mul(g, sigmoid(x));
            case SIN -> mul(g, cos(x));
            case COS -> neg(mul(g, sin(x)));
        };
        return new Tensor[] {dx};
    }
}
