package io.tapeflow.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The array forms of {@link FastMath} and {@link Kernels#dot} on {@code jdk.incubator.vector} (loaded only when that
 * module is present, as {@link VectorMatMul}). Every value is bit-identical to the portable code's:
 * <ul>
 *   <li>exp, log and sigmoid run, lane by lane, the scalar functions' operations in the same order (the same
 *       multiplications, additions, shifts and conversions; no fused multiply-add); a vector holding a lane outside
 *       the polynomial's range (overflow, underflow, zero, negatives, NaN) is computed by the scalar function;</li>
 *   <li>dot keeps {@link Kernels#DOT_LANES} partial sums, as the portable loop does, in two 8-float vectors whatever
 *       the machine's vector width, and combines them in the same order.</li>
 * </ul>
 * The portable loops do not vectorise: C2 stops at the special-case branches, the float/int bit moves and the
 * reductions. In W2's step the cross-entropy's log and the weight gradients' dot products were a third of the time.
 */
final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final VectorSpecies<Float> HALF_DOT = FloatVector.SPECIES_256;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(FastMath.ROUNDER);

    private VectorMath() {
    }

    /** Calls of each function per warm-up round; under {@link #COMPILED_ROUND_NANOS} a round is compiled code. */
    private static final int ROUND_CALLS = 100;
    private static final long COMPILED_ROUND_NANOS = 100_000L;
    private static final long WARM_UP_NANOS = 5_000_000_000L;

    /**
     * Runs each function until C2 has compiled it, for the warm-up thread: rounds of calls on one vector and a
     * fifteen-value tail (the tail's loop counts toward C2's thresholds too, cheaply) until a round runs as compiled
     * code does (about 30 µs here; interpreted, or C1's code, which allocates every vector, takes milliseconds), or for
     * at most {@link #WARM_UP_NANOS}. Between slow rounds it sleeps: once the thresholds are crossed, C2 compiles in
     * its own threads, and spinning meanwhile would only take a core from the training that started it.
     */
    static void warmUp() {
        float[] x = new float[L + 15];
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + i;
        }
        long deadline = System.nanoTime() + WARM_UP_NANOS;
        float sink = 0f;
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUND_CALLS; i++) {
                exp(x, y, x.length);
                log(x, y, x.length);
                sigmoid(x, y, x.length);
                sink += dot(x, y, x.length);
            }
            if (System.nanoTime() - start < COMPILED_ROUND_NANOS) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (sink == 42f) {
            System.out.print(""); // keeps the dot products from being optimised away
        }
    }

    static void exp(float[] x, float[] out, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            if (expOutOfRange(v).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    out[j] = FastMath.exp(x[j]);
                }
            } else {
                exp(v).intoArray(out, i);
            }
        }
        for (; i < n; i++) {
            out[i] = FastMath.exp(x[i]);
        }
    }

    static void sigmoid(float[] x, float[] out, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector minus = FloatVector.fromArray(SPECIES, x, i).neg();
            if (expOutOfRange(minus).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    out[j] = FastMath.sigmoid(x[j]);
                }
            } else {
                FloatVector.broadcast(SPECIES, 1f).div(exp(minus).add(1f)).intoArray(out, i);
            }
        }
        for (; i < n; i++) {
            out[i] = FastMath.sigmoid(x[i]);
        }
    }

    static void log(float[] x, float[] out, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            if (v.compare(VectorOperators.GE, Float.MIN_NORMAL).not()
                    .or(v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    out[j] = FastMath.log(x[j]);
                }
            } else {
                log(v).intoArray(out, i);
            }
        }
        for (; i < n; i++) {
            out[i] = FastMath.log(x[i]);
        }
    }

    /**
     * {@link Kernels#dot}: partial sum k takes the terms i ≡ k (mod 16) of the whole blocks; the tail is added after
     * the sums are combined (masked loads and lane shuffles are not compiled to vector instructions on JDK 17).
     */
    static float dot(float[] x, float[] y, int n) {
        FloatVector low = FloatVector.zero(HALF_DOT);
        FloatVector high = FloatVector.zero(HALF_DOT);
        int i = 0;
        for (; i + Kernels.DOT_LANES <= n; i += Kernels.DOT_LANES) {
            low = FloatVector.fromArray(HALF_DOT, x, i).fma(FloatVector.fromArray(HALF_DOT, y, i), low);
            high = FloatVector.fromArray(HALF_DOT, x, i + 8).fma(FloatVector.fromArray(HALF_DOT, y, i + 8), high);
        }
        // The portable loop's tree: s[k] += s[k + 8], then + 4, + 2, + 1.
        FloatVector s = low.add(high);
        float s0 = s.lane(0) + s.lane(4);
        float s1 = s.lane(1) + s.lane(5);
        float s2 = s.lane(2) + s.lane(6);
        float s3 = s.lane(3) + s.lane(7);
        float sum = (s0 + s2) + (s1 + s3);
        for (; i < n; i++) {
            sum = Math.fma(x[i], y[i], sum);
        }
        return sum;
    }

    /** The lanes that {@link FastMath#exp} does not compute by its polynomial (NaN included). */
    private static VectorMask<Float> expOutOfRange(FloatVector v) {
        return v.compare(VectorOperators.GT, FastMath.EXP_MAX)
                .or(v.compare(VectorOperators.GE, FastMath.EXP_MIN).not());
    }

    private static FloatVector exp(FloatVector x) {
        FloatVector rounded = x.mul(FastMath.LOG2E).add(FastMath.ROUNDER);
        FloatVector k = rounded.sub(FastMath.ROUNDER);
        FloatVector r = x.sub(k.mul(FastMath.LN2_HI)).sub(k.mul(FastMath.LN2_LO));
        FloatVector p = r.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(r).add(8.3334519073E-3f).mul(r)
                .add(4.1665795894E-2f).mul(r).add(1.6666665459E-1f).mul(r).add(5.0000001201E-1f);
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // (int) k without a float-to-int conversion, which JDK 17 does not compile to a vector instruction (it
        // allocated on every call): 1.5·2²³ + k holds k in its low mantissa bits.
        FloatVector twoToKMinusOne = rounded.reinterpretAsInts().sub(ROUNDER_BITS).add(126)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(twoToKMinusOne).mul(2f);
    }

    private static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts().add(0x3f800000 - FastMath.SQRT_HALF_BITS);
        IntVector e = bits.lanewise(VectorOperators.ASHR, 23).sub(127);
        FloatVector m = bits.and(0x007FFFFF).add(FastMath.SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = f.mul(7.0376836292E-2f).sub(1.1514610310E-1f).mul(f).add(1.1676998740E-1f).mul(f)
                .sub(1.2420140846E-1f).mul(f).add(1.4249322787E-1f).mul(f).sub(1.6668057665E-1f).mul(f)
                .add(2.0000714765E-1f).mul(f).sub(2.4999993993E-1f).mul(f).add(3.3333331174E-1f).mul(f).mul(z);
        FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
        y = y.add(fe.mul(FastMath.LN2_LO));
        y = y.add(z.mul(-0.5f));
        return f.add(y).add(fe.mul(FastMath.LN2_HI));
    }
}
