package io.tapeflow.engine;

/**
 * Float {@code exp}, {@code log} and {@code sigmoid}: Cephes' {@code expf}/{@code logf} (range reduction plus a short
 * polynomial, within 1 ulp of the exact value on the whole range), several times faster than double-precision
 * {@link Math} calls. Eager kernels and graph plans both use them, so the two modes round alike: the clipped
 * cross-entropy's gradient jumps when a saturated probability moves by one ulp across its clip bound, and Adam turns
 * a last-bit difference in a gradient near zero into a step of the learning rate's size. The array forms give the
 * same bits, computed on {@code jdk.incubator.vector} once it is compiled ({@link VectorMath}).
 */
public final class FastMath {

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float ROUNDER = 12582912f;
    /** The bits of √½: shifting by them puts the mantissa in [√½, √2) without a branch (as musl's logf). */
    static final int SQRT_HALF_BITS = 0x3f3504f3;
    /** Above this, exp overflows; below {@link #EXP_MIN} (and for NaN) it takes the exact path. */
    static final float EXP_MAX = 88.72283f;
    static final float EXP_MIN = -86f;

    private FastMath() {
    }

    /** {@code out[i] = exp(x[i])} for i &lt; n: {@link #exp(float)}'s bits, on the Vector API when it is ready. */
    public static void exp(float[] x, float[] out, int n) {
        if (MatMulKernels.vectorReady()) {
            VectorMath.exp(x, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = exp(x[i]);
            }
        }
    }

    /** {@code out[i] = log(x[i])} for i &lt; n: {@link #log(float)}'s bits, on the Vector API when it is ready. */
    public static void log(float[] x, float[] out, int n) {
        if (MatMulKernels.vectorReady()) {
            VectorMath.log(x, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = log(x[i]);
            }
        }
    }

    /** {@code out[i] = sigmoid(x[i])} for i &lt; n: {@link #sigmoid(float)}'s bits, on the Vector API when ready. */
    public static void sigmoid(float[] x, float[] out, int n) {
        if (MatMulKernels.vectorReady()) {
            VectorMath.sigmoid(x, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = sigmoid(x[i]);
            }
        }
    }

    public static float exp(float x) {
        if (x > EXP_MAX) {
            return Float.POSITIVE_INFINITY;
        }
        if (!(x >= EXP_MIN)) {
            return (float) Math.exp(x); // NaN, and the tail towards subnormal results, where 2^k leaves the range
        }
        // Rounds to the nearest integer without a branch: adding 1.5·2^23 leaves no fraction bits.
        float k = (x * LOG2E + ROUNDER) - ROUNDER;
        float r = x - k * LN2_HI - k * LN2_LO;
        float p = ((((1.9875691500E-4f * r + 1.3981999507E-3f) * r + 8.3334519073E-3f) * r + 4.1665795894E-2f) * r
                + 1.6666665459E-1f) * r + 5.0000001201E-1f;
        float y = p * (r * r) + r + 1f;
        // 2^k built as 2^(k−1)·2 so that k = 128 (x near the overflow bound) still fits the exponent field.
        return y * Float.intBitsToFloat(((int) k + 126) << 23) * 2f;
    }

    public static float log(float x) {
        if (!(x >= Float.MIN_NORMAL) || x == Float.POSITIVE_INFINITY) {
            return (float) Math.log(x); // zero, negatives, NaN, subnormals and infinity: the exact path
        }
        int bits = Float.floatToRawIntBits(x) + (0x3f800000 - SQRT_HALF_BITS);
        int e = (bits >> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) + SQRT_HALF_BITS);
        float f = m - 1f;
        float z = f * f;
        float y = ((((((((7.0376836292E-2f * f - 1.1514610310E-1f) * f + 1.1676998740E-1f) * f
                - 1.2420140846E-1f) * f + 1.4249322787E-1f) * f - 1.6668057665E-1f) * f + 2.0000714765E-1f) * f
                - 2.4999993993E-1f) * f + 3.3333331174E-1f) * f * z;
        float fe = e;
        y += LN2_LO * fe;
        y += -0.5f * z;
        return f + y + LN2_HI * fe;
    }

    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }
}
