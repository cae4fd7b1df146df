package io.tapeflow.engine.graph;

import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.concat;
import static io.tapeflow.engine.Ops.cumsum;
import static io.tapeflow.engine.Ops.matmul;
import static io.tapeflow.engine.Ops.max;
import static io.tapeflow.engine.Ops.mean;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.pad;
import static io.tapeflow.engine.Ops.reshape;
import static io.tapeflow.engine.Ops.sigmoid;
import static io.tapeflow.engine.Ops.sign;
import static io.tapeflow.engine.Ops.sin;
import static io.tapeflow.engine.Ops.slice;
import static io.tapeflow.engine.Ops.square;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.sum;
import static io.tapeflow.engine.Ops.tanh;
import static io.tapeflow.engine.Ops.transpose;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random small programs, traced once and run at several batch sizes (returning to earlier ones, as a fit's last batch
 * does), against eager mode: the loss and the gradient of every variable. A program is a list of instruction codes
 * over two values, a batched {@code h} (None, 3) and a non-batched {@code u} (2, 3) that starts as the variable W, so
 * reductions (sum and mean, over everything and over axes, with and without keepDims; max; empty axes; sign; a rank-3
 * product broadcast against a matrix) of values without a batch dimension are in play, as is the L2 regulariser
 * {@code 0.1 · mean(square(W))} (code 17), and so are ops a plan runs through their eager kernels (codes 25 to 32: concat,
 * slice, pad and transpose of batched values, a batched rank-3 product, sums over a middle axis, cumsum), and means of
 * batched values through a product and a bias (33, 34). The fixed part of the loss holds only sums and a batched mean,
 * so a program fails only through its instructions. The programs are drawn from a fixed seed (200 of them, up to eight
 * instructions each, every code first alone) and a failure names its program, so it can be replayed and cut down by
 * hand; the case the mean bug failed on is code 3 alone.
 */
class GraphEagerPropertyTests {

    private static final int WIDTH = 3;
    private static final int CODES = 35;
    private static final int[] BATCHES = {4, 7, 4, 1, 7};

    private record Vars(Variable bigW, Variable w, Variable v, Variable s) {
        static Vars of(int seed) {
            Rng rng = new Rng(seed);
            return new Vars(new Variable("W", Tensor.uniform(rng, -0.5f, 0.5f, 2, WIDTH)),
                    new Variable("w", Tensor.uniform(rng, 0.5f, 1.5f, WIDTH)),
                    new Variable("V", Tensor.uniform(rng, -1f, 1f, WIDTH, 2)),
                    new Variable("s", Tensor.scalar(0.8f)));
        }

        List<Variable> list() {
            return List.of(bigW, w, v, s);
        }
    }

    /** The program's loss on the batch x; the same Java code runs eagerly and under the tracer. */
    private static Tensor loss(List<Integer> codes, Tensor x, Vars p) {
        Tensor bigW = p.bigW().value();
        Tensor h = add(mul(x, p.w().value()), 0.1f);
        Tensor u = bigW;
        Tensor extra = Tensor.scalar(0f);
        int[] rows = {0};
        int[] columns = {1};
        for (int code : codes) {
            switch (code) {
                case 0 -> u = tanh(u);
                case 1 -> u = sin(square(u));
                case 2 -> u = mul(u, bigW);
                case 3 -> u = add(u, mean(u, rows, true));
                case 4 -> u = sub(u, mul(sum(u, columns, true), 0.3f));
                case 5 -> u = mul(u, mean(square(bigW)));
                case 6 -> u = add(u, mean(u, rows, false));
                case 7 -> u = mul(u, sum(bigW));
                case 8 -> u = mul(u, p.s().value());
                case 9 -> h = tanh(h);
                case 10 -> h = mul(h, p.w().value());
                case 11 -> h = add(h, mean(u, rows, true));
                case 12 -> h = mul(h, mean(u, rows, false));
                case 13 -> h = add(h, sum(u));
                case 14 -> h = matmul(tanh(matmul(h, p.v().value())), p.v().value(), false, true);
                case 15 -> h = add(sigmoid(h), mean(h, columns, true));
                case 16 -> h = mul(h, mean(h, rows, true));
                case 17 -> extra = add(extra, mul(mean(square(bigW)), 0.1f));
                case 18 -> extra = add(extra, sum(mean(u, columns, true)));
                case 19 -> u = mul(u, sign(u));
                case 20 -> u = sub(u, max(u, columns, true));
                case 21 -> h = add(h, max(u, rows, false));
                case 22 -> u = add(u, sum(u, new int[0], false));
                case 23 -> u = add(u, sum(matmul(reshape(u, 2, 1, WIDTH), p.v().value())));
                case 24 -> h = mul(h, sign(h));
                // Ops without a feature-major step of their own, on batched values: the plan runs their kernels.
                case 25 -> h = slice(concat(1, h, sin(h)), new int[] {0, 2}, new int[] {-1, WIDTH});
                case 26 -> h = mul(sum(transpose(add(reshape(h, -1, 1, WIDTH), u), 0, 2, 1), new int[] {2}, false),
                        0.5f);
                case 27 -> h = add(h, matmul(reshape(matmul(reshape(h, -1, 1, WIDTH), p.v().value()), -1, 2),
                        p.v().value(), false, true));
                case 28 -> h = pad(slice(h, new int[] {0, 1}, new int[] {-1, WIDTH - 1}), new int[] {0, 1},
                        new int[] {0, 0});
                case 29 -> h = add(h, sum(mul(reshape(h, -1, 1, WIDTH), u), new int[] {1}, false));
                case 30 -> u = concat(0, slice(u, new int[] {1, 0}, new int[] {1, WIDTH}),
                        slice(u, new int[] {0, 0}, new int[] {1, WIDTH}));
                case 31 -> h = mul(cumsum(h, 1, false), 0.5f); // an op added with no plan code
                case 32 -> u = add(u, mul(cumsum(u, 0, true), 0.3f));
                // Means of batched values taken directly, so their gradient (a broadcast to the symbolic batch) meets
                // a product and a bias-like broadcast, not an elementwise op that would hide a wrong shape.
                case 33 -> extra = add(extra, mean(matmul(h, p.v().value())));
                case 34 -> extra = add(extra, sum(mean(add(h, p.w().value()), rows, false)));
                default -> throw new IllegalArgumentException("code " + code);
            }
        }
        return add(add(mean(square(h)), extra), mul(sum(sum(u, rows, true)), 0.5f));
    }

    /** Each of the codes alone first, then random programs of up to eight codes; every one with its own seed. */
    static Stream<Arguments> programs() {
        Rng rng = new Rng(20261201);
        List<Arguments> programs = new ArrayList<>();
        for (int code = 0; code < CODES; code++) {
            programs.add(Arguments.of(List.of(code), 1 + code));
        }
        for (int i = CODES; i < 200; i++) {
            int length = (int) (rng.uniform(0f, 1f) * 9);
            List<Integer> codes = new ArrayList<>();
            for (int j = 0; j < length; j++) {
                codes.add(Math.min(CODES - 1, (int) (rng.uniform(0f, 1f) * CODES)));
            }
            programs.add(Arguments.of(codes, 1 + (int) (rng.uniform(0f, 1f) * 10_000)));
        }
        return programs.stream();
    }

    @ParameterizedTest(name = "program {0}, seed {1}")
    @MethodSource("programs")
    void tracedProgramsMatchEager(List<Integer> codes, int seed) {
        Vars graphVars = Vars.of(seed);
        TracedFunction f = TracedFunction.trace("program", (graph, in) -> {
            Tensor l = loss(codes, in[0], graphVars);
            Tensor[] grads = graph.gradients(l, graphVars.list());
            Tensor[] out = new Tensor[1 + grads.length];
            out[0] = l;
            for (int i = 0; i < grads.length; i++) {
                out[i + 1] = grads[i] == null ? Tensor.zeros(graphVars.list().get(i).shape()) : grads[i];
            }
            return out;
        }, new int[] {-1, WIDTH});

        Rng rng = new Rng(seed + 1);
        for (int batch : BATCHES) {
            Tensor x = Tensor.uniform(rng, -1f, 1f, batch, WIDTH);
            Vars eagerVars = Vars.of(seed);
            Tensor expectedLoss;
            Tensor[] expected;
            try (GradientTape tape = new GradientTape()) {
                expectedLoss = loss(codes, x, eagerVars);
                expected = tape.gradient(expectedLoss, eagerVars.list().toArray(new Variable[0]));
            }
            if (!Float.isFinite(expectedLoss.item())) {
                return; // an overflowing program says nothing about the two modes
            }
            Tensor[] actual = f.call(x);
            String label = "program " + codes + ", batch " + batch;
            assertClose(label + ", loss", actual[0], expectedLoss);
            for (int i = 0; i < expected.length; i++) {
                Variable v = eagerVars.list().get(i);
                assertClose(label + ", gradient of " + v.name(), actual[i + 1],
                        expected[i] == null ? Tensor.zeros(v.shape()) : expected[i]);
            }
        }
    }

    /** Float32 agreement relative to the tensor's largest magnitude (sums may cancel to small entries). */
    private static void assertClose(String label, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(label + " shape").isEqualTo(expected.shape());
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        double scale = 1;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as(label + " [" + i + "]: " + Arrays.toString(a) + " vs "
                    + Arrays.toString(e)).isLessThanOrEqualTo((float) (1e-4 * scale));
        }
    }
}
