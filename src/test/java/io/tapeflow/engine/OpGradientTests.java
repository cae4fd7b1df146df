package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op's gradient against central finite differences, over random shapes (seeded, not hand-picked). */
class OpGradientTests {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 6);
    }

    private static int[] randomShape(Rng rng, int minRank, int maxRank) {
        int[] shape = new int[minRank + rng.nextInt(maxRank - minRank + 1)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = 1 + rng.nextInt(4);
        }
        return shape;
    }

    /** A shape that broadcasts to {@code shape}: some dimensions set to 1, maybe some leading ones dropped. */
    private static int[] partner(Rng rng, int[] shape) {
        int drop = rng.nextInt(shape.length + 1);
        int[] out = new int[shape.length - drop];
        for (int d = 0; d < out.length; d++) {
            out[d] = rng.nextInt(3) == 0 ? 1 : shape[d + drop];
        }
        return out;
    }

    private static Tensor random(Rng rng, int[] shape, float low, float high) {
        return Tensor.uniform(rng, low, high, shape);
    }

    /** Values with magnitude in [0.2, 2] and a random sign: away from the kinks of relu, abs and sign at 0. */
    private static Tensor awayFromZero(Rng rng, int[] shape) {
        float[] v = random(rng, shape, 0.2f, 2f).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(2) == 0 ? v[i] : -v[i];
        }
        return Tensor.of(v, shape);
    }

    /** Distinct values at least 0.1 apart in random order, so a max never has a near tie. */
    private static Tensor separated(Rng rng, int[] shape) {
        int n = Shapes.size(shape);
        int[] perm = new int[n];
        rng.permutation(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = perm[i] * 0.1f - 0.5f;
        }
        return Tensor.of(v, shape);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void unaryOps(long seed) {
        Rng rng = new Rng(seed);
        int[] s = randomShape(rng, 0, 3);
        check("neg", x -> neg(x[0]), random(rng, s, -2, 2));
        check("square", x -> square(x[0]), random(rng, s, -2, 2));
        check("sqrt", x -> sqrt(x[0]), random(rng, s, 0.5f, 3));
        check("exp", x -> exp(x[0]), random(rng, s, -2, 2));
        check("log", x -> log(x[0]), random(rng, s, 0.5f, 3));
        check("abs", x -> abs(x[0]), awayFromZero(rng, s));
        check("relu", x -> relu(x[0]), awayFromZero(rng, s));
        check("sigmoid", x -> sigmoid(x[0]), random(rng, s, -4, 4));
        check("tanh", x -> tanh(x[0]), random(rng, s, -2, 2));
        check("softplus", x -> softplus(x[0]), random(rng, s, -4, 4));
        check("sin", x -> sin(x[0]), random(rng, s, -3, 3));
        check("cos", x -> cos(x[0]), random(rng, s, -3, 3));
        check("clip", x -> clip(x[0], -0.5f, 0.5f), clipInputs(rng, s));
    }

    /** Inputs at least 0.05 away from the clip bounds ±0.5. */
    private static Tensor clipInputs(Rng rng, int[] s) {
        float[] v = random(rng, s, -1f, 1f).toArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(Math.abs(v[i]) - 0.5f) < 0.05f) {
                v[i] *= 0.7f;
            }
        }
        return Tensor.of(v, s);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void binaryOpsWithBroadcasting(long seed) {
        Rng rng = new Rng(seed);
        int[] s = randomShape(rng, 1, 3);
        int[] p = partner(rng, s);
        boolean swap = rng.nextInt(2) == 0;
        int[] as = swap ? p : s;
        int[] bs = swap ? s : p;
        check("add " + Shapes.toString(as) + Shapes.toString(bs), x -> add(x[0], x[1]),
                random(rng, as, -2, 2), random(rng, bs, -2, 2));
        check("sub", x -> sub(x[0], x[1]), random(rng, as, -2, 2), random(rng, bs, -2, 2));
        check("mul", x -> mul(x[0], x[1]), random(rng, as, -2, 2), random(rng, bs, -2, 2));
        check("div", x -> div(x[0], x[1]), random(rng, as, -2, 2), awayFromZero(rng, bs));
        check("pow", x -> pow(x[0], x[1]), random(rng, as, 0.5f, 2), random(rng, bs, -2, 2));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matmulInEveryLayout(long seed) {
        Rng rng = new Rng(seed);
        int m = 1 + rng.nextInt(4);
        int k = 1 + rng.nextInt(4);
        int n = 1 + rng.nextInt(4);
        int b = 1 + rng.nextInt(3);
        for (int layout = 0; layout < 4; layout++) {
            boolean ta = (layout & 1) != 0;
            boolean tb = (layout & 2) != 0;
            check("matmul " + ta + " " + tb, x -> matmul(x[0], x[1], ta, tb),
                    random(rng, ta ? new int[] {k, m} : new int[] {m, k}, -2, 2),
                    random(rng, tb ? new int[] {n, k} : new int[] {k, n}, -2, 2));
            check("batched matmul " + ta + " " + tb, x -> matmul(x[0], x[1], ta, tb),
                    random(rng, ta ? new int[] {b, k, m} : new int[] {b, m, k}, -2, 2),
                    random(rng, tb ? new int[] {b, n, k} : new int[] {b, k, n}, -2, 2));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void reductionsOverEachAxis(long seed) {
        Rng rng = new Rng(seed);
        int[] s = randomShape(rng, 1, 3);
        for (int axis = -1; axis < s.length; axis++) {
            int[] axes = axis < 0 ? null : new int[] {axis};
            for (boolean keep : new boolean[] {true, false}) {
                String at = " axis " + axis + " keepDims " + keep + " of " + Shapes.toString(s);
                check("sum" + at, x -> sum(x[0], axes, keep), random(rng, s, -2, 2));
                check("mean" + at, x -> mean(x[0], axes, keep), random(rng, s, -2, 2));
                check("max" + at, x -> max(x[0], axes, keep), separated(rng, s));
            }
        }
        if (s.length >= 2) {
            check("sum over two axes", x -> sum(x[0], new int[] {0, -1}, false), random(rng, s, -2, 2));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shapeOps(long seed) {
        Rng rng = new Rng(seed);
        int[] s = randomShape(rng, 2, 3);
        int[] perm = new int[s.length];
        rng.permutation(perm);
        check("transpose " + Arrays.toString(perm), x -> transpose(x[0], perm), random(rng, s, -2, 2));
        check("reshape", x -> reshape(x[0], -1), random(rng, s, -2, 2));
        int[] wider = new int[s.length + 1];
        wider[0] = 2;
        System.arraycopy(s, 0, wider, 1, s.length);
        check("broadcastTo", x -> broadcastTo(x[0], wider), random(rng, partner(rng, s), -2, 2));
        for (int axis = 0; axis < s.length; axis++) {
            int[] other = s.clone();
            other[axis] = 1 + rng.nextInt(3);
            int a = axis;
            check("concat axis " + axis, x -> concat(a, x[0], x[1]), random(rng, s, -2, 2), random(rng, other, -2, 2));
        }
        int[] begin = new int[s.length];
        int[] size = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            begin[d] = rng.nextInt(s[d]);
            size[d] = d == 0 ? -1 : 1 + rng.nextInt(s[d] - begin[d]);
        }
        check("slice", x -> slice(x[0], begin, size), random(rng, s, -2, 2));
        int[] after = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            after[d] = rng.nextInt(3);
        }
        check("pad", x -> pad(x[0], begin, after), random(rng, s, -2, 2));
        int[] indices = new int[1 + rng.nextInt(5)];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = rng.nextInt(s[0]);
        }
        check("gather with repeats", x -> gather(x[0], indices), random(rng, s, -2, 2));
        int[] gs = s.clone();
        gs[0] = indices.length;
        check("scatterRows", x -> scatterRows(x[0], indices, s[0] + 1), random(rng, gs, -2, 2));
        float[] mask = new float[s[0]];
        mask[rng.nextInt(s[0])] = 1f;
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextInt(2) == 0 ? mask[i] : 1f;
        }
        check("booleanMask", x -> booleanMask(x[0], Tensor.of(mask)), random(rng, s, -2, 2));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void whereAndComposites(long seed) {
        Rng rng = new Rng(seed);
        int[] s = randomShape(rng, 1, 3);
        Tensor condition = greater(random(rng, partner(rng, s), -1, 1), Tensor.scalar(0f));
        check("where", x -> where(condition, x[0], x[1]), random(rng, s, -2, 2), random(rng, partner(rng, s), -2, 2));
        check("softmax", x -> softmax(x[0]), random(rng, s, -2, 2));
        check("logSumExp", x -> logSumExp(x[0]), random(rng, s, -2, 2));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void nonDifferentiableOpsGiveNoGradientAndSignZeros(long seed) {
        Rng rng = new Rng(seed);
        Tensor x = random(rng, randomShape(rng, 1, 3), -2, 2);
        try (GradientTape tape = new GradientTape(true)) {
            tape.watch(x);
            Tensor stopped = sum(stopGradient(x));
            Tensor compared = sum(greater(x, Tensor.scalar(0f)));
            Tensor signed = sum(sign(x));
            assertNull(tape.gradient(stopped, x));
            assertNull(tape.gradient(compared, x));
            // TensorFlow registers zeros as Sign's gradient (Greater and StopGradient have none): x is connected.
            Tensor g = tape.gradient(signed, x);
            assertArrayEquals(x.shape(), g.shape());
            assertArrayEquals(new float[x.toArray().length], g.toArray());
        }
    }

    private static void check(String label, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradientCheck.check(label, f, inputs);
    }
}
