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

import java.util.Arrays;

/**
 * Elementwise binary ops with NumPy broadcasting. Comparisons return 1 or 0 (with a NaN operand 0, but 1 for
 * not-equal, as in NumPy and TensorFlow) and are not differentiable: their inputs get no gradient from them, which
 * is what makes masks in gradient rules work.
 *
 * <p>Each kind owns its loops: {@link #vv} (two rows), {@link #vs} and {@link #sv} (a row and one value) and the
 * scalar {@link #apply}. They are the only definition of the kind's arithmetic: eager broadcasting
 * ({@link Kernels#binary}) walks the output row by row through {@link #row}, and graph plans call the same loops on
 * their feature rows, so the two modes compute the same bits. Adding a kind means writing these four methods and its
 * gradient; the compiler asks for each. The arithmetic loops take a path without offsets when every offset is 0 (a
 * plan's rows, eager's same-shape operands): C2 (JDK 17) vectorises that form better in the plans' context, and the
 * rings fit (W2) ran about 10 % faster with it in JMH.
 */
public enum Binary implements Op {
    ADD("AddV2") {
        @Override
        public float apply(float a, float b) {
            return a + b;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            if ((ao | bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] + b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] + b[bo + i];
                }
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            if ((ao | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] + b;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] + b;
                }
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            vs(b, bo, a, out, o, n);
        }
    },
    SUB("Sub") {
        @Override
        public float apply(float a, float b) {
            return a - b;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            if ((ao | bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] - b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] - b[bo + i];
                }
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            if ((ao | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] - b;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] - b;
                }
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            if ((bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a - b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a - b[bo + i];
                }
            }
        }
    },
    MUL("Mul") {
        @Override
        public float apply(float a, float b) {
            return a * b;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            if ((ao | bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] * b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] * b[bo + i];
                }
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            if ((ao | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] * b;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] * b;
                }
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            vs(b, bo, a, out, o, n);
        }
    },
    DIV("RealDiv") {
        @Override
        public float apply(float a, float b) {
            return a / b;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            if ((ao | bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] / b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] / b[bo + i];
                }
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            if ((ao | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] / b;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a[ao + i] / b;
                }
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            if ((bo | o) == 0) {
                for (int i = 0; i < n; i++) {
                    out[i] = a / b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = a / b[bo + i];
                }
            }
        }
    },
    POW("Pow") {
        @Override
        public float apply(float a, float b) {
            return (float) Math.pow(a, b);
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) Math.pow(a[ao + i], b[bo + i]);
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) Math.pow(a[ao + i], b);
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) Math.pow(a, b[bo + i]);
            }
        }
    },
    // Comparisons: whole vectors on the Vector API when it is ready (a compare and a blend, exact, NaN as in the
    // scalar loop), the rest in a scalar loop that selects an int, which C2 turns into a conditional move (a float
    // select is a branch, mispredicted half the time on a relu mask). Either way each value is exactly 1 or 0.
    // a > b[i] is b[i] < a, so the mirrored kind's vs is each sv.
    GREATER("Greater") {
        @Override
        public float apply(float a, float b) {
            return a > b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.greater(a, ao, b, bo, 0f, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] > b[bo + i] ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.greater(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] > b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            LESS.vs(b, bo, a, out, o, n);
        }
    },
    GREATER_EQUAL("GreaterEqual") {
        @Override
        public float apply(float a, float b) {
            return a >= b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.greaterEqual(a, ao, b, bo, 0f, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] >= b[bo + i] ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.greaterEqual(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] >= b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            LESS_EQUAL.vs(b, bo, a, out, o, n);
        }
    },
    LESS("Less") {
        @Override
        public float apply(float a, float b) {
            return a < b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            GREATER.vv(b, bo, a, ao, out, o, n);
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.less(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] < b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            GREATER.vs(b, bo, a, out, o, n);
        }
    },
    LESS_EQUAL("LessEqual") {
        @Override
        public float apply(float a, float b) {
            return a <= b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            GREATER_EQUAL.vv(b, bo, a, ao, out, o, n);
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.lessEqual(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] <= b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            GREATER_EQUAL.vs(b, bo, a, out, o, n);
        }
    },
    EQUAL("Equal") {
        @Override
        public float apply(float a, float b) {
            return a == b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.equal(a, ao, b, bo, 0f, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] == b[bo + i] ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.equal(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] == b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            vs(b, bo, a, out, o, n);
        }
    },
    NOT_EQUAL("NotEqual") {
        @Override
        public float apply(float a, float b) {
            return a != b ? 1f : 0f;
        }

        @Override
        public void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.notEqual(a, ao, b, bo, 0f, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] != b[bo + i] ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void vs(float[] a, int ao, float b, float[] out, int o, int n) {
            int i = MatMulKernels.vectorReady() ? VectorMath.notEqual(a, ao, null, 0, b, out, o, n) : 0;
            for (; i < n; i++) {
                int t = a[ao + i] != b ? 1 : 0;
                out[o + i] = t;
            }
        }

        @Override
        public void sv(float a, float[] b, int bo, float[] out, int o, int n) {
            vs(b, bo, a, out, o, n);
        }
    };

    private final String opName;

    Binary(String opName) {
        this.opName = opName;
    }

    /** {@code a (kind) b} for one pair of values. */
    public abstract float apply(float a, float b);

    /** {@code out[o + i] = a[ao + i] (kind) b[bo + i]} for i in [0, n). */
    public abstract void vv(float[] a, int ao, float[] b, int bo, float[] out, int o, int n);

    /** {@code out[o + i] = a[ao + i] (kind) b} for i in [0, n). */
    public abstract void vs(float[] a, int ao, float b, float[] out, int o, int n);

    /** {@code out[o + i] = a (kind) b[bo + i]} for i in [0, n). */
    public abstract void sv(float a, float[] b, int bo, float[] out, int o, int n);

    /**
     * One output row of a broadcast: each operand either runs along the row from its offset (stride 1) or holds one
     * value for the whole row (stride 0).
     */
    public void row(float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o, int n) {
        if (as != 0 && bs != 0) {
            vv(a, ao, b, bo, out, o, n);
        } else if (as != 0) {
            vs(a, ao, b[bo], out, o, n);
        } else if (bs != 0) {
            sv(a[ao], b, bo, out, o, n);
        } else {
            Arrays.fill(out, o, o + n, apply(a[ao], b[bo]));
        }
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
