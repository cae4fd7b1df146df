package io.tapeflow.engine;

/**
 * A seeded, splittable pseudo-random generator (SplitMix64) whose whole state is one {@code long}, so a
 * training checkpoint can save and restore it exactly. Floating-point transforms use {@link StrictMath} so the
 * same seed gives the same numbers on every JVM and machine.
 *
 * <p>Not thread-safe: give each thread its own generator via {@link #split()}.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The generator's whole state; {@code new Rng(rng.state())} continues the same sequence. */
    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An independent generator; this one advances by one step. */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 33;
        long m = r * bound;
        int low = (int) (m & 0x7FFFFFFFL);
        if (low < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (low < threshold) {
                r = nextLong() >>> 33;
                m = r * bound;
                low = (int) (m & 0x7FFFFFFFL);
            }
        }
        return (int) (m >>> 31);
    }

    /** Uniform in [low, high). */
    public float uniform(float low, float high) {
        return low + (high - low) * nextFloat();
    }

    /** Standard normal by Box–Muller (one value per two uniforms, so the state stays a single long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    public float normal(float mean, float stddev) {
        return (float) (mean + stddev * nextGaussian());
    }

    /** Normal resampled while more than two standard deviations from the mean, as TensorFlow does. */
    public float truncatedNormal(float mean, float stddev) {
        double z;
        do {
            z = nextGaussian();
        } while (z < -2.0 || z > 2.0);
        return (float) (mean + stddev * z);
    }

    /** Fisher–Yates permutation of 0..n-1 into {@code out} (length n). */
    public void permutation(int[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = i;
        }
        for (int i = out.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
    }
}
