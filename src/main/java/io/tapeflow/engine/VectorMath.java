package io.tapeflow.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The array forms of {@link FastMath} and {@link Kernels#productOverBatch} on {@code jdk.incubator.vector} (loaded
 * only when that module is present, as {@link VectorMatMul}). Every value is bit-identical to the portable code's:
 * <ul>
 *   <li>exp, log and sigmoid run, lane by lane, the scalar functions' operations in the same order (the same
 *       multiplications, additions, shifts and conversions; no fused multiply-add); a vector holding a lane outside
 *       the polynomial's range (overflow, underflow, zero, negatives, NaN) is computed by the scalar function;</li>
 *   <li>comparisons are exact (1 or 0; with a NaN operand 0, but 1 for not-equal) in both;</li>
 *   <li>the product over the batch keeps each output's FMA chain in batch order, as the portable loop and eager's
 *       matmul do; the lanes hold different outputs.</li>
 * </ul>
 * The portable loops do not vectorise: C2 stops at the special-case branches and the float/int bit moves, and keeps
 * the product's chains one at a time. Every method uses the machine's preferred vector size, as the matmul kernel
 * does: a JDK method such as {@code fma} that sees two vector sizes at one call site no longer compiles to a vector
 * instruction (it boxed every vector).
 */
final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(FastMath.ROUNDER);

    /** Calls of each function per warm-up round; under {@link #COMPILED_ROUND_NANOS} a round is compiled code. */
    private static final int ROUND_CALLS = 100;
    private static final long COMPILED_ROUND_NANOS = 400_000L;
    private static final long WARM_UP_NANOS = 5_000_000_000L;

    private VectorMath() {
    }

    /**
     * Runs each function until C2 has compiled it, for the warm-up thread: rounds of calls on one vector and a
     * fifteen-value tail (the tail's loop counts toward C2's thresholds too, cheaply) until a round runs as compiled
     * code does (about 100 µs here; interpreted, or C1's code, which allocates every vector, takes milliseconds), or for
     * at most {@link #WARM_UP_NANOS}. Between slow rounds it sleeps: once the thresholds are crossed, C2 compiles in
     * its own threads, and spinning meanwhile would only take a core from the training that started it.
     *
     * <p>Every branch a job can take is taken here: values outside the polynomials' range (the scalar path inside
     * each vector loop) and products whose lanes are either side. A branch C2 never saw compiles to a trap, and the
     * first job that took one ran the Vector API's Java fallback (lambdas and a new object per vector) for its
     * first fifty epochs: the rings job's first run took 0.7 s where the next ones took 0.2 s.
     */
    static void warmUp() {
        float[] x = new float[L + 15];
        float[] y = new float[x.length];
        float[] extreme = new float[x.length];
        float[][] rows = {x, y, x, y, x};
        float[][] pair = {x, y};
        float[][] sixteen = new float[16][];
        java.util.Arrays.fill(sixteen, x);
        float[] product = new float[rows.length * sixteen.length];
        float[] scratch = new float[Kernels.productOverBatchScratch(rows.length, sixteen.length, 8)];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + i;
            extreme[i] = (i % 3 == 0 ? -1e4f : i % 3 == 1 ? 1e4f : 0f);
        }
        long deadline = System.nanoTime() + WARM_UP_NANOS;
        float sink = 0f;
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUND_CALLS; i++) {
                float[] in = (i & 7) == 0 ? extreme : x;
                exp(in, y, x.length);
                log(in, y, x.length);
                sigmoid(in, y, x.length);
                for (int k = 0; k < 2; k++) { // against a row and against a value
                    float[] row = k == 0 ? x : null;
                    greater(in, 0, row, 0, 0f, y, 0, x.length);
                    greaterEqual(in, 0, row, 0, 0f, y, 0, x.length);
                    less(in, 0, row, 0, 0f, y, 0, x.length);
                    lessEqual(in, 0, row, 0, 0f, y, 0, x.length);
                    equal(in, 0, row, 0, 0f, y, 0, x.length);
                    notEqual(in, 0, row, 0, 0f, y, 0, x.length);
                }
                // lanes over the units (units >= m) or the inputs (units < m); padded to whole vectors or not;
                // groups of four rows full, short, or both
                productOverBatch(pair, 2, rows, rows.length, 8, product, scratch);
                productOverBatch(rows, rows.length, pair, 2, 8, product, scratch);
                productOverBatch(rows, rows.length, rows, rows.length, 8, product, scratch);
                productOverBatch(rows, rows.length, sixteen, sixteen.length, 8, product, scratch);
                sink += product[1];
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
            System.out.print(""); // keeps the products from being optimised away
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
     * {@link Kernels#productOverBatch}: each output's chain stays one FMA after another in batch order, so the lanes
     * run different outputs side by side — a vector's worth of the wider side's columns (zero-padded), four vectors
     * (four chains) at a time. The wider side is first copied batch-major into {@code scratch}. The products are the
     * same in either operand order, so either side may be the lanes.
     */
    static void productOverBatch(float[][] a, int m, float[][] b, int units, int n, float[] out, float[] scratch) {
        boolean lanesAreUnits = units >= m;
        float[][] lanes = lanesAreUnits ? b : a;
        float[][] rows = lanesAreUnits ? a : b;
        int width = lanesAreUnits ? units : m;
        int height = lanesAreUnits ? m : units;
        int padded = (width + L - 1) / L * L;
        if (padded > width) {
            java.util.Arrays.fill(scratch, 0, n * padded, 0f);
        }
        for (int w = 0; w < width; w++) {
            float[] src = lanes[w];
            for (int i = 0, t = w; i < n; i++, t += padded) {
                scratch[t] = src[i];
            }
        }
        int tile = n * padded;
        int chunks = padded / L;
        int pairs = height * chunks;
        for (int q = 0; q < pairs; q += 4) {
            // Four (row, chunk) pairs; a short last group repeats its last pair and stores it once.
            int q1 = Math.min(q + 1, pairs - 1);
            int q2 = Math.min(q + 2, pairs - 1);
            int q3 = Math.min(q + 3, pairs - 1);
            float[] x0 = rows[q / chunks];
            float[] x1 = rows[q1 / chunks];
            float[] x2 = rows[q2 / chunks];
            float[] x3 = rows[q3 / chunks];
            int c0 = L * (q % chunks);
            int c1 = L * (q1 % chunks);
            int c2 = L * (q2 % chunks);
            int c3 = L * (q3 % chunks);
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0, t = 0; i < n; i++, t += padded) {
                s0 = FloatVector.broadcast(SPECIES, x0[i]).fma(FloatVector.fromArray(SPECIES, scratch, t + c0), s0);
                s1 = FloatVector.broadcast(SPECIES, x1[i]).fma(FloatVector.fromArray(SPECIES, scratch, t + c1), s1);
                s2 = FloatVector.broadcast(SPECIES, x2[i]).fma(FloatVector.fromArray(SPECIES, scratch, t + c2), s2);
                s3 = FloatVector.broadcast(SPECIES, x3[i]).fma(FloatVector.fromArray(SPECIES, scratch, t + c3), s3);
            }
            store(s0, q / chunks, c0, lanesAreUnits, width, units, out, scratch, tile);
            if (q + 1 < pairs) {
                store(s1, q1 / chunks, c1, lanesAreUnits, width, units, out, scratch, tile);
            }
            if (q + 2 < pairs) {
                store(s2, q2 / chunks, c2, lanesAreUnits, width, units, out, scratch, tile);
            }
            if (q + 3 < pairs) {
                store(s3, q3 / chunks, c3, lanesAreUnits, width, units, out, scratch, tile);
            }
        }
    }

    /** Row r's outputs from column c on, those that are not padding, through {@code scratch[at…]}. */
    private static void store(FloatVector s, int r, int c, boolean lanesAreUnits, int width, int units, float[] out,
            float[] scratch, int at) {
        int valid = Math.min(L, width - c);
        if (lanesAreUnits && valid == L) {
            s.intoArray(out, r * units + c);
            return;
        }
        s.intoArray(scratch, at);
        for (int k = 0; k < valid; k++) {
            out[lanesAreUnits ? r * units + c + k : (c + k) * units + r] = scratch[at + k];
        }
    }

    /*
     * Binary's comparisons over whole vectors: each lane 1 or 0 from a compare and a blend, NaN handled as in the
     * scalar loops; against a row b (from bo) or, when b is null, the value s. Each returns the values it wrote (a
     * multiple of the vector length) and the caller's scalar loop does the rest. One self-contained method per
     * operator, so that its compiled form holds its operator as a constant, which the intrinsics need: with the loop
     * in a helper taking the operator, the helper was also compiled on its own, where the operator is a variable,
     * and a cold service's first jobs ran the Vector API's Java fallback there (an allocation per vector); a method
     * switching over the kinds ran out of C2's inlining budget once every kind was hot, and boxed too.
     */

    static int greater(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.GT, y))
                    .intoArray(out, o + i);
        }
        return bound;
    }

    static int greaterEqual(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.GE, y))
                    .intoArray(out, o + i);
        }
        return bound;
    }

    static int less(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.LT, y))
                    .intoArray(out, o + i);
        }
        return bound;
    }

    static int lessEqual(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.LE, y))
                    .intoArray(out, o + i);
        }
        return bound;
    }

    static int equal(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.EQ, y))
                    .intoArray(out, o + i);
        }
        return bound;
    }

    static int notEqual(float[] a, int ao, float[] b, int bo, float s, float[] out, int o, int n) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = b == null ? FloatVector.broadcast(SPECIES, s) : FloatVector.fromArray(SPECIES, b, bo + i);
            zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).compare(VectorOperators.NE, y))
                    .intoArray(out, o + i);
        }
        return bound;
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
