package io.tapeflow.engine.graph;

import static io.tapeflow.engine.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Unary;
import io.tapeflow.engine.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op a traced step can contain, in graph mode against eager mode: the forward value and the gradients of a
 * scalar of it with respect to variables, traced once and run on several batch sizes (the last one smaller, like a
 * fit's last partial batch).
 */
class GraphOpTests {

    private static final int WIDTH = 3;

    /** One case: an expression of the batch x (rows × 3) and the variables w (3,), v (3, 2), s (scalar). */
    private record Case(String name, BiFunction<Tensor, Variable[], Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (Unary kind : Unary.values()) {
            if (kind != Unary.SIGN) {
                cases.add(new Case(kind.type(), (x, p) -> io.tapeflow.engine.Dispatch.apply(kind,
                        add(mul(x, p[0].value()), 0.25f))));
            }
        }
        cases.add(new Case("Sign", (x, p) -> mul(sign(sub(x, p[0].value())), mul(x, p[0].value()))));
        cases.add(new Case("AddV2 row", (x, p) -> add(x, p[0].value())));
        cases.add(new Case("AddV2 row first", (x, p) -> add(p[0].value(), mul(x, p[0].value()))));
        cases.add(new Case("Sub scalar", (x, p) -> sub(mul(x, p[0].value()), p[2].value())));
        cases.add(new Case("Sub from scalar", (x, p) -> sub(p[2].value(), mul(x, p[0].value()))));
        cases.add(new Case("Mul same shape", (x, p) -> mul(mul(x, p[0].value()), add(x, p[0].value()))));
        cases.add(new Case("RealDiv row", (x, p) -> div(x, add(p[0].value(), 2f))));
        cases.add(new Case("RealDiv by batch", (x, p) -> div(p[0].value(), add(x, 2f))));
        cases.add(new Case("RealDiv by column", (x, p) -> div(mul(x, p[0].value()),
                add(sum(x, new int[] {1}, true), 5f))));
        cases.add(new Case("Pow", (x, p) -> pow(add(x, 0.5f), p[0].value())));
        cases.add(new Case("Pow scalar exponent", (x, p) -> pow(mul(x, p[0].value()), 2f)));
        cases.add(new Case("comparisons", (x, p) -> {
            Tensor a = mul(x, p[0].value());
            Tensor masks = add(add(greater(a, p[2].value()), greaterEqual(a, x)), add(less(a, Tensor.scalar(1f)), lessEqual(x, a)));
            return mul(add(add(masks, equal(a, a)), notEqual(a, x)), a);
        }));
        cases.add(new Case("ClipByValue", (x, p) -> clip(mul(x, p[0].value()), 0.6f, 1.4f)));
        cases.add(new Case("SelectV2", (x, p) -> where(greater(x, Tensor.scalar(1f)), mul(x, p[0].value()), p[0].value())));
        cases.add(new Case("MatMul", (x, p) -> matmul(x, p[1].value())));
        cases.add(new Case("MatMul transposed", (x, p) -> matmul(matmul(x, p[1].value()), p[1].value(), false,
                true)));
        cases.add(new Case("Sum all", (x, p) -> sum(mul(x, p[0].value()))));
        cases.add(new Case("Mean all keepDims", (x, p) -> mean(mul(x, p[0].value()), null, true)));
        cases.add(new Case("Max all", (x, p) -> max(mul(x, p[0].value()))));
        cases.add(new Case("Sum over batch", (x, p) -> sum(mul(x, p[0].value()), new int[] {0}, false)));
        cases.add(new Case("Mean over batch", (x, p) -> mean(mul(x, p[0].value()), new int[] {0}, true)));
        cases.add(new Case("Max over batch", (x, p) -> max(mul(x, p[0].value()), new int[] {0}, false)));
        cases.add(new Case("Sum over features", (x, p) -> sum(mul(x, p[0].value()), new int[] {-1}, false)));
        cases.add(new Case("Mean over features", (x, p) -> mean(mul(x, p[0].value()), new int[] {1}, true)));
        cases.add(new Case("Max over features", (x, p) -> max(mul(x, p[0].value()), new int[] {1}, true)));
        cases.add(new Case("Reshape", (x, p) -> reshape(sum(mul(x, p[0].value()), new int[] {1}, false), -1, 1)));
        cases.add(new Case("BroadcastTo", (x, p) -> mul(x, broadcastTo(reshape(p[0].value(), 1, WIDTH), 1,
                WIDTH))));
        cases.add(new Case("StopGradient", (x, p) -> mul(stopGradient(mul(x, p[0].value())), p[0].value())));
        cases.add(new Case("Softmax", (x, p) -> softmax(mul(x, p[0].value()))));
        cases.add(new Case("LogSumExp", (x, p) -> logSumExp(matmul(x, p[1].value()))));
        cases.add(new Case("scalar variable", (x, p) -> mul(mul(p[2].value(), p[2].value()), x)));
        cases.add(new Case("dense layer", (x, p) -> tanh(add(matmul(x, p[1].value()), sum(p[0].value())))));
        return cases.stream().map(Arguments::of);
    }

    private static Variable[] variables() {
        Rng rng = new Rng(3);
        return new Variable[] {
                new Variable("w", Tensor.uniform(rng, 0.5f, 1.5f, WIDTH)),
                new Variable("v", Tensor.uniform(rng, -1f, 1f, WIDTH, 2)),
                new Variable("s", Tensor.scalar(0.8f))};
    }

    /** A scalar of y that weighs every entry differently (sum of y·sin(y) keeps gradients non-uniform). */
    private static Tensor objective(Tensor y) {
        return sum(mul(y, sin(y)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void graphMatchesEagerForwardAndGradient(Case c) {
        Variable[] graphVars = variables();
        List<Variable> sources = Arrays.asList(graphVars);
        TracedFunction f = TracedFunction.trace(c.name(), (graph, in) -> {
            Tensor y = c.f().apply(in[0], graphVars);
            Tensor[] grads = graph.gradients(objective(y), sources);
            Tensor[] out = new Tensor[1 + grads.length];
            out[0] = y;
            for (int i = 0; i < grads.length; i++) {
                out[i + 1] = grads[i] == null ? Tensor.zeros(graphVars[i].shape()) : grads[i];
            }
            return out;
        }, new int[] {-1, WIDTH});

        Rng rng = new Rng(c.name().hashCode());
        for (int rows : new int[] {5, 8, 3}) {
            Tensor x = Tensor.uniform(rng, 0.5f, 2f, rows, WIDTH);
            Tensor[] graphOut = f.call(x);

            Variable[] eagerVars = variables();
            Tensor y;
            Tensor[] grads;
            try (GradientTape tape = new GradientTape()) {
                y = c.f().apply(x, eagerVars);
                Tensor objective = objective(y);
                grads = tape.gradient(objective, eagerVars);
            }
            assertClose(c.name() + " forward, " + rows + " rows", graphOut[0], y);
            for (int i = 0; i < grads.length; i++) {
                Tensor expected = grads[i] == null ? Tensor.zeros(eagerVars[i].shape()) : grads[i];
                assertClose(c.name() + " gradient of " + eagerVars[i].name() + ", " + rows + " rows",
                        graphOut[i + 1], expected);
            }
        }
    }

    private static void assertClose(String label, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(label + " shape").isEqualTo(expected.shape());
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        for (int i = 0; i < e.length; i++) {
            assertThat((double) a[i]).as(label + " [" + i + "]")
                    .isCloseTo(e[i], within(2e-5 * Math.max(1, Math.abs(e[i]))));
        }
    }

    @Test
    void updatesVariablesInPlaceAndWritesThemBack() {
        Variable w = new Variable("w", Tensor.of(1f, 2f, 3f));
        UpdateRule sgd = new Momentum(0.5f, 0f);
        TracedFunction f = TracedFunction.trace("step", (graph, in) -> {
            Tensor loss = sum(mul(in[0], w.value()));
            graph.applyUpdate(w, graph.gradients(loss, List.of(w))[0], sgd);
            return new Tensor[] {loss};
        }, new int[] {-1, 3});
        f.run(2, new float[] {1f, 1f, 1f, 1f, 0f, 1f});
        assertThat(w.value().toArray()).as("not written back yet").containsExactly(1f, 2f, 3f);
        assertThat(f.outputScalar(0)).isEqualTo(1f + 2f + 3f + 1f + 3f);
        f.storeVariables();
        assertThat(w.value().toArray()).containsExactly(0f, 1.5f, 2f);
        assertThat(f.iterations()).isEqualTo(1);

        w.assign(new float[] {10f, 10f, 10f});
        f.run(1, new float[] {1f, 1f, 1f});
        assertThat(f.outputScalar(0)).as("an assignment from outside is reloaded").isEqualTo(30f);
    }

    /**
     * A value computed between two updates reads the variables as they are there: it must not be fused into a step
     * after the second update, which would compute it from the updated value (the guard once looked at the first
     * update only).
     */
    @Test
    void aValueComputedBetweenTwoUpdatesSeesTheVariableBeforeTheSecond() {
        Variable a = new Variable("a", Tensor.of(1f, 1f));
        Variable b = new Variable("b", Tensor.of(0.5f, -0.25f));
        UpdateRule sgd = new Momentum(0.5f, 0f);
        TracedFunction f = TracedFunction.trace("two updates", (graph, in) -> {
            Tensor loss = sum(mul(mul(in[0], a.value()), b.value()));
            Tensor[] g = graph.gradients(loss, List.of(a, b));
            graph.applyUpdate(a, g[0], sgd);
            Tensor t = tanh(mul(in[0], b.value())); // b before its update
            graph.applyUpdate(b, g[1], sgd);
            return new Tensor[] {add(t, Tensor.scalar(1f))};
        }, new int[] {-1, 2});
        float[] x = {1f, 2f, 3f, 4f};
        float[] out = f.call(Tensor.of(x, 2, 2))[0].toArray();
        float[] before = {0.5f, -0.25f};
        for (int i = 0; i < x.length; i++) {
            assertThat(out[i]).as("row %d, column %d", i / 2, i % 2)
                    .isCloseTo((float) Math.tanh(x[i] * before[i % 2]) + 1f, within(1e-6f));
        }
    }

    @Test
    void aCallWithAnotherSignatureNamesBoth() {
        Variable w = new Variable("w", Tensor.of(1f, 2f));
        TracedFunction f = TracedFunction.trace("predict", (graph, in) -> new Tensor[] {mul(in[0], w.value())},
                new int[] {-1, 2});
        assertThatThrownBy(() -> f.call(Tensor.zeros(4, 3)))
                .hasMessageContaining("called with (4, 3)").hasMessageContaining("traced for (None, 2)");
        assertThatThrownBy(() -> f.call(Tensor.zeros(4)))
                .hasMessageContaining("called with (4,)").hasMessageContaining("traced for (None, 2)");
        assertThatThrownBy(() -> f.run(3, new float[5]))
                .hasMessageContaining("3 rows and 5 values").hasMessageContaining("(None, 2)");
        assertThatThrownBy(() -> TracedFunction.trace("bad", (graph, in) -> in, new int[] {2, -1}))
                .hasMessageContaining("batch dimension (-1) first");
    }

    @Test
    void aLargerBatchReusesTheGraphAndGrowsTheBuffers() {
        Variable w = new Variable("w", Tensor.of(2f));
        TracedFunction f = TracedFunction.trace("scale", (graph, in) -> new Tensor[] {mean(mul(in[0], w.value()))},
                new int[] {-1, 1});
        f.run(2, new float[] {1f, 3f});
        assertThat(f.outputScalar(0)).isEqualTo(4f);
        f.run(4, new float[] {1f, 2f, 3f, 4f});
        assertThat(f.outputScalar(0)).isEqualTo(5f);
        f.run(1, new float[] {7f});
        assertThat(f.outputScalar(0)).isEqualTo(14f);
    }

    @Test
    void foldsConstantsAndSharesBuffers() {
        Variable v = new Variable("v", Tensor.uniform(new Rng(1), -1f, 1f, 2, 4));
        TracedFunction f = TracedFunction.trace("mlp", (graph, in) -> {
            Tensor h = relu(matmul(in[0], v.value()));
            Tensor loss = mean(square(sub(h, mul(Tensor.scalar(2f), Tensor.scalar(3f)))));
            return new Tensor[] {loss, graph.gradients(loss, List.of(v))[0]};
        }, new int[] {-1, 2});
        assertThat(f.graphDump()).contains("MatMul (None, 4)").contains("Relu (None, 4)");
        // The constant product folds away; reshapes and broadcasts of the mean's gradient need no step.
        assertThat(f.planSteps()).isLessThan(f.graphDump().split("\n").length / 2 + 4);
        assertThat(f.fusedOps()).as("the loss's elementwise chain").isPositive();
    }

    @ParameterizedTest(name = "{0} rows")
    @org.junit.jupiter.params.provider.ValueSource(ints = {48, 7})
    void largeProductsRunInTheMatmulKernelWithTheSameResults(int rows) {
        Rng rng = new Rng(9);
        Variable w = new Variable("w", Tensor.uniform(rng, -1f, 1f, 40, 30));
        Variable u = new Variable("u", Tensor.uniform(rng, -1f, 1f, 20, 30));
        List<Variable> sources = List.of(w, u);
        TracedFunction f = TracedFunction.trace("wide", (graph, in) -> {
            Tensor y = matmul(tanh(matmul(in[0], w.value())), u.value(), false, true);
            Tensor[] grads = graph.gradients(objective(y), sources);
            return new Tensor[] {y, grads[0], grads[1]};
        }, new int[] {-1, 40});
        Tensor x = Tensor.uniform(rng, -1f, 1f, rows, 40);
        Tensor[] graphOut = f.call(x);
        Tensor y;
        Tensor[] grads;
        try (GradientTape tape = new GradientTape()) {
            y = matmul(tanh(matmul(x, w.value())), u.value(), false, true);
            grads = tape.gradient(objective(y), w, u);
        }
        assertClose("forward", graphOut[0], y);
        assertClose("gradient of w", graphOut[1], grads[0]);
        assertClose("gradient of u", graphOut[2], grads[1]);
    }

    @Test
    void aTrainingStepAllocatesNothing() {
        Rng rng = new Rng(4);
        Variable w1 = new Variable("w1", Tensor.uniform(rng, -1f, 1f, 2, 8));
        Variable b1 = new Variable("b1", Tensor.zeros(8));
        Variable w2 = new Variable("w2", Tensor.uniform(rng, -1f, 1f, 8, 1));
        List<Variable> variables = List.of(w1, b1, w2);
        UpdateRule adam = new Momentum(0.01f, 0.9f);
        TracedFunction f = TracedFunction.trace("train_step", (graph, in) -> {
            Tensor p = sigmoid(matmul(relu(add(matmul(in[0], w1.value()), b1.value())), w2.value()));
            Tensor loss = mean(square(sub(in[1], p)));
            Tensor[] grads = graph.gradients(loss, variables);
            for (int i = 0; i < grads.length; i++) {
                graph.applyUpdate(variables.get(i), grads[i], adam);
            }
            return new Tensor[] {loss, p};
        }, new int[] {-1, 2}, new int[] {-1, 1});
        float[][] batch = {Tensor.uniform(rng, -1f, 1f, 64 * 2).toArray(), Tensor.uniform(rng, 0f, 1f, 64).toArray()};
        float[] predictions = new float[64];
        for (int i = 0; i < 2_000; i++) {
            f.run(64, batch);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // Rounds of 1 000 steps until one allocates nothing: the Vector API allocates until C2 has compiled it, and
        // the engine switches its short vector loops on once a background warm-up is done, maybe during this test.
        long allocated = Long.MAX_VALUE;
        float sum = 0f;
        for (int round = 0; round < 100 && allocated >= 1_000; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                f.run(64, batch);
                sum += f.outputScalar(0);
                f.copyOutput(1, predictions);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(sum).isFinite();
        assertThat(allocated).as("bytes allocated by 1 000 steps, once compiled").isLessThan(1_000);
    }

    /**
     * A rule with one slot, as plans run any (the optimizers themselves are nn's, tested there): with momentum 0 it
     * is plain SGD, {@code p −= lr·g}.
     */
    private record Momentum(float learningRate, float momentum) implements UpdateRule {

        @Override
        public int slots() {
            return 1;
        }

        @Override
        public float stepSize(long t) {
            return learningRate;
        }

        @Override
        public void applyInPlace(float[] p, float[] g, float[] s0, float[] s1, float stepSize, int n) {
            for (int i = 0; i < n; i++) {
                float v = momentum * s0[i] - stepSize * g[i];
                s0[i] = v;
                p[i] += v;
            }
        }
    }
}
