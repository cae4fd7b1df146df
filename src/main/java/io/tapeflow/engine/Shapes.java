package io.tapeflow.engine;

import java.util.Arrays;

/**
 * Shape arithmetic shared by the ops' shape inference and by the kernels. A dimension of {@code -1} is unknown (the
 * dynamic batch dimension of a traced graph); shape inference keeps it where it can and only checks known sizes.
 */
public final class Shapes {

    public static final int UNKNOWN = -1;

    private Shapes() {
    }

    public static int size(int[] shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    public static String toString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] == UNKNOWN ? "None" : String.valueOf(shape[i]));
        }
        return sb.append(')').toString();
    }

    static void checkValid(int[] shape, String op) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is too large");
            }
        }
    }

    /** Normalises a possibly negative axis against a rank. */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /**
     * Normalised, sorted, distinct axes; {@code null} means every axis, and an empty array none (as NumPy's and
     * TensorFlow's {@code axis=()} / {@code axis=[]}).
     */
    public static int[] axes(int[] axes, int rank, String op) {
        if (axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, op);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " appears twice in "
                        + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** Whether {@code shape} has {@code pattern}'s dimensions, an unknown one in {@code pattern} matching any. */
    public static boolean matches(int[] pattern, int[] shape) {
        if (pattern == null || pattern.length != shape.length) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (pattern[d] != UNKNOWN && pattern[d] != shape[d]) {
                return false;
            }
        }
        return true;
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else if (da == UNKNOWN || db == UNKNOWN) {
                out[i] = Math.max(da, db);
            } else {
                throw new IllegalArgumentException(op + ": shapes " + toString(a) + " and " + toString(b)
                        + " cannot be broadcast together");
            }
        }
        return out;
    }

    /** Row-major strides of a shape, with stride 0 on the dimensions that broadcast into {@code target}. */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int[] strides = new int[target.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int t = i + target.length - shape.length;
            strides[t] = shape[i] == 1 && target[t] != 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }

    /** The shape with the given sorted axes removed, or set to 1 when {@code keepDims}. */
    static int[] reduced(int[] shape, int[] sortedAxes, boolean keepDims) {
        int[] out = new int[keepDims ? shape.length : shape.length - sortedAxes.length];
        int j = 0;
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            boolean reducedAxis = k < sortedAxes.length && sortedAxes[k] == i;
            if (reducedAxis) {
                k++;
                if (keepDims) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
