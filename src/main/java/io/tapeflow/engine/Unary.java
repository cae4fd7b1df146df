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
 * Elementwise unary ops. Each kind owns its loop ({@link #apply}, which the compiler asks every kind for); the
 * gradient rules follow in one exhaustive switch. Eager mode and graph plans both run {@link #apply}, so the two
 * compute the same bits.
 */
public enum Unary implements Op {
    NEG("Neg") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = -x[i];
            }
        }
    },
    SQUARE("Square") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = x[i] * x[i];
            }
        }
    },
    SQRT("Sqrt") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) Math.sqrt(x[i]);
            }
        }
    },
    EXP("Exp") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            FastMath.exp(x, out, n);
        }
    },
    LOG("Log") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            FastMath.log(x, out, n);
        }
    },
    ABS("Abs") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.abs(x[i]);
            }
        }
    },
    SIGN("Sign") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.signum(x[i]);
            }
        }
    },
    RELU("Relu") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                // max, not a branch: vectorised, and no mispredictions on activations of random sign
                out[i] = Math.max(x[i], 0f);
            }
        }
    },
    SIGMOID("Sigmoid") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            FastMath.sigmoid(x, out, n);
        }
    },
    TANH("Tanh") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) Math.tanh(x[i]);
            }
        }
    },
    SOFTPLUS("Softplus") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large |x|.
            for (int i = 0; i < n; i++) {
                float v = x[i];
                out[i] = (float) (Math.max(v, 0f) + Math.log1p(Math.exp(-Math.abs(v))));
            }
        }
    },
    SIN("Sin") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) Math.sin(x[i]);
            }
        }
    },
    COS("Cos") {
        @Override
        public void apply(float[] x, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) Math.cos(x[i]);
            }
        }
    };

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
    public abstract void apply(float[] x, float[] out, int n);

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
