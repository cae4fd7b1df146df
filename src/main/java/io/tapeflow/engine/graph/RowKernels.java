package io.tapeflow.engine.graph;

import io.tapeflow.engine.Binary;
import io.tapeflow.engine.Kernels;

/**
 * The elementwise loops of graph plans over one row of a buffer: both operands vectors ({@code vv}), or one of them a
 * scalar broadcast along the row ({@code vs}, {@code sv}). Each loop shares one index between its arrays, which is
 * what lets the JDK 17 compiler vectorise it; the switch runs once per row, never per element.
 *
 * <p>Order comparisons are computed without branches (a data-dependent branch mispredicts on half of a ReLU mask):
 * {@link #positive} of the difference, which equals the eager comparison for all finite operands. Where an operand
 * is NaN or both are the same infinity the result is NaN instead of 0 or 1; such values only occur in a run that
 * has already diverged.
 */
final class RowKernels {

    private RowKernels() {
    }

    /** 1 where d > 0 and 0 where d ≤ 0: the smallest positive float times 2^200 still exceeds 1. */
    static float positive(float d) {
        return Math.min(Math.max(d * 0x1p100f * 0x1p100f, 0f), 1f);
    }

    /** {@code out[i] = a[i] (kind) b[i]}. */
    static void vv(Binary kind, float[] a, float[] b, float[] out, int n) {
        if (kind.isArithmetic()) {
            Kernels.binarySameShape(kind, a, b, out, n);
            return;
        }
        switch (kind) {
            case POW -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.pow(a[i], b[i]);
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(a[i] - b[i]);
                }
            }
            case GREATER_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(b[i] - a[i]);
                }
            }
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(b[i] - a[i]);
                }
            }
            case LESS_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(a[i] - b[i]);
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] == b[i] ? 1f : 0f;
                }
            }
            case NOT_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] != b[i] ? 1f : 0f;
                }
            }
        }
    }

    /** {@code out[i] = a[i] (kind) b}. */
    static void vs(Binary kind, float[] a, float b, float[] out, int n) {
        switch (kind) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] + b;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] - b;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] * b;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] / b;
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.pow(a[i], b);
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(a[i] - b);
                }
            }
            case GREATER_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(b - a[i]);
                }
            }
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(b - a[i]);
                }
            }
            case LESS_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(a[i] - b);
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] == b ? 1f : 0f;
                }
            }
            case NOT_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] != b ? 1f : 0f;
                }
            }
        }
    }

    /** {@code out[i] = a (kind) b[i]}. */
    static void sv(Binary kind, float a, float[] b, float[] out, int n) {
        switch (kind) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a + b[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a - b[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a * b[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a / b[i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.pow(a, b[i]);
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(a - b[i]);
                }
            }
            case GREATER_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(b[i] - a);
                }
            }
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = positive(b[i] - a);
                }
            }
            case LESS_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - positive(a - b[i]);
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a == b[i] ? 1f : 0f;
                }
            }
            case NOT_EQUAL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a != b[i] ? 1f : 0f;
                }
            }
        }
    }

    /** One pair of scalars. */
    static float ss(Binary kind, float a, float b) {
        return switch (kind) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case GREATER -> a > b ? 1f : 0f;
            case GREATER_EQUAL -> a >= b ? 1f : 0f;
            case LESS -> a < b ? 1f : 0f;
            case LESS_EQUAL -> a <= b ? 1f : 0f;
            case EQUAL -> a == b ? 1f : 0f;
            case NOT_EQUAL -> a != b ? 1f : 0f;
        };
    }
}
