package io.tapeflow.engine;

import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.gather;
import static io.tapeflow.engine.Ops.matmul;
import static io.tapeflow.engine.Ops.max;
import static io.tapeflow.engine.Ops.mean;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.sign;
import static io.tapeflow.engine.Ops.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.graph.TracedFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where TensorFlow and NumPy agree on an op's meaning, the engine means the same (issue #13). */
class NumpySemanticsTests {

    private static final Tensor X = Tensor.of(new float[] {1, -2, 3, 4, 5, -6}, 2, 3);

    @Test
    void emptyAxesReduceNothingAndNullReducesEverything() {
        for (Tensor r : new Tensor[] {sum(X, new int[0], false), mean(X, new int[0], true),
                max(X, new int[0], false)}) {
            assertThat(r.shape()).containsExactly(2, 3);
            assertThat(r.toArray()).containsExactly(X.toArray());
        }
        assertThat(sum(X).item()).isEqualTo(5f);
        assertThat(sum(X, null, true).shape()).containsExactly(1, 1);
        Variable v = new Variable("v", X);
        try (GradientTape tape = new GradientTape()) {
            Tensor y = sum(mul(mean(v.value(), new int[0], false), v.value()));
            assertThat(tape.gradient(y, v).toArray()).containsExactly(2, -4, 6, 8, 10, -12);
        }
    }

    @Test
    void emptyAxesReduceNothingInGraphModeToo() {
        TracedFunction f = TracedFunction.trace("none", (graph, in) -> new Tensor[] {sum(in[0], new int[0], true)},
                new int[] {-1, 3});
        assertThat(f.call(X)[0].toArray()).containsExactly(X.toArray());
    }

    /** TensorFlow registers zeros as Sign's gradient: the source is connected and its gradient is 0, not None. */
    @Test
    void signsGradientIsZeros() {
        Variable v = new Variable("v", X);
        try (GradientTape tape = new GradientTape()) {
            Tensor g = tape.gradient(sum(sign(v.value())), v);
            assertThat(g).isNotNull();
            assertThat(g.shape()).containsExactly(2, 3);
            assertThat(g.toArray()).containsOnly(0f);
        }
        // d/dw sum(sign(x·w)·w) = column sums of sign(x·w): the path through sign adds zeros, traced as in eager mode.
        Variable w = new Variable("w", Tensor.ones(3));
        TracedFunction f = TracedFunction.trace("sign", (graph, in) -> new Tensor[] {
                graph.gradients(sum(mul(sign(mul(in[0], w.value())), w.value())), List.of(w))[0]}, new int[] {-1, 3});
        assertThat(f.call(X)[0].toArray()).containsExactly(2, 0, 0);
    }

    @Test
    void refusalsPrintIndicesAndShapesNotArrayIdentities() {
        Tensor x = Tensor.zeros(2, 3);
        assertThat(new Gather(new int[] {0, 5}).toString()).isEqualTo("GatherV2(indices=[0, 5])");
        // A slice that drops the first row of the batch changes the batch size: the one thing a plan refuses.
        assertThatThrownBy(() -> TracedFunction.trace("slice", (graph, in) -> new Tensor[] {Ops.slice(in[0],
                new int[] {1, 0}, new int[] {-1, 3})}, new int[] {-1, 3}))
                .hasMessageContaining("[1, 0]").hasMessageContaining("(None, 3)")
                .hasMessageContaining("batch").hasMessageNotContaining("[I@");
        assertThat(new Slice(new int[] {0, 1}, new int[] {1, -1}).toString()).doesNotContain("[I@")
                .contains("[0, 1]");
        assertThat(Ops.reshape(x, 3, 2).shape()).containsExactly(3, 2);
    }

    @Test
    void gatheringFixedRowsOfABatchTracesAsEager() {
        TracedFunction f = TracedFunction.trace("gather", (graph, in) -> new Tensor[] {gather(in[0],
                new int[] {1, 0})}, new int[] {-1, 3});
        assertThat(f.call(X)[0].toArray()).containsExactly(gather(X, new int[] {1, 0}).toArray());
        // Row 5 exists only in batches of six rows or more: the call with a smaller batch fails as eager mode does.
        TracedFunction sixth = TracedFunction.trace("gather 5", (graph, in) -> new Tensor[] {gather(in[0],
                new int[] {5, 0})}, new int[] {-1, 3});
        Tensor seven = Tensor.uniform(new Rng(2), -1f, 1f, 7, 3);
        assertThat(sixth.call(seven)[0].toArray()).containsExactly(gather(seven, new int[] {5, 0}).toArray());
        assertThatThrownBy(() -> gather(X, new int[] {5, 0})).hasMessageContaining("index 5");
        assertThatThrownBy(() -> sixth.call(X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 5");
    }

    @Test
    void matmulBroadcastsBatchDimensionsAndMixesRanks() {
        Tensor a = Tensor.uniform(new Rng(1), -1f, 1f, 2, 3, 4);
        Tensor b = Tensor.uniform(new Rng(2), -1f, 1f, 4, 5);
        Tensor c = matmul(a, b);
        assertThat(c.shape()).containsExactly(2, 3, 5);
        for (int t = 0; t < 2; t++) {
            Tensor at = Ops.reshape(Ops.slice(a, new int[] {t, 0, 0}, new int[] {1, 3, 4}), 3, 4);
            Tensor expected = matmul(at, b);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    assertThat(c.get(t, i, j)).isCloseTo(expected.get(i, j), within(1e-6f));
                }
            }
        }
        assertThat(matmul(a, Ops.reshape(b, 1, 4, 5)).toArray()).containsExactly(c.toArray());
        assertThat(matmul(Ops.reshape(b, 1, 4, 5), Tensor.ones(3, 5, 2)).shape()).containsExactly(3, 4, 2);
        assertThat(matmul(Tensor.ones(2, 1, 3, 4), Tensor.ones(5, 4, 2), false, false).shape())
                .containsExactly(2, 5, 3, 2);
        assertThatThrownBy(() -> matmul(Tensor.ones(2, 3, 4), Tensor.ones(3, 4, 5)))
                .hasMessageContaining("(2, 3, 4)").hasMessageContaining("(3, 4, 5)");

        GradientCheck.check("matmul (2,3,4) @ (4,5)", x -> matmul(x[0], x[1]), a, b);
        GradientCheck.check("matmul (2,3,4) @ (1,4,5)", x -> matmul(x[0], x[1]), a, Ops.reshape(b, 1, 4, 5));
        GradientCheck.check("matmul (1,4,5)ᵀ @ (2,4,3)", x -> matmul(x[0], x[1], true, false),
                Ops.reshape(b, 1, 4, 5), Tensor.uniform(new Rng(3), -1f, 1f, 2, 4, 3));
    }

    @Test
    void aBatchedRankThreeProductTracesAndMatchesEager() {
        Variable b = new Variable("b", Tensor.uniform(new Rng(5), -1f, 1f, 4, 5));
        TracedFunction f = TracedFunction.trace("bmm", (graph, in) -> {
            Tensor loss = sum(Ops.square(matmul(Ops.reshape(in[0], -1, 3, 4), b.value())));
            return new Tensor[] {loss, graph.gradients(loss, List.of(b))[0]};
        }, new int[] {-1, 12});
        for (int batch : new int[] {2, 5, 1}) {
            Tensor x = Tensor.uniform(new Rng(batch), -1f, 1f, batch, 12);
            Tensor[] graphOut = f.call(x);
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = sum(Ops.square(matmul(Ops.reshape(x, batch, 3, 4), b.value())));
                assertThat(graphOut[0].item()).isCloseTo(loss.item(), within(1e-4f * loss.item()));
                float[] expected = tape.gradient(loss, new Variable[] {b})[0].toArray();
                float[] actual = graphOut[1].toArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("d/db [" + i + "], batch " + batch)
                            .isCloseTo(expected[i], within(1e-4f * (1 + Math.abs(expected[i]))));
                }
            }
        }
        Variable w = new Variable("w", Tensor.ones(2, 3, 4));
        Tensor ones = Tensor.ones(4, 5);
        TracedFunction flat = TracedFunction.trace("flat", (graph, in) -> new Tensor[] {
                mul(in[0], sum(matmul(w.value(), ones)))}, new int[] {-1, 1});
        assertThat(flat.call(Tensor.ones(2, 1))[0].toArray()).containsExactly(120f, 120f);
    }

    /**
     * One definition of each comparison: eager and graph mode run the same loops, so NaN compares false (as in NumPy
     * and TensorFlow) in both, against a row, a value or from a value, on whole vectors and on the scalar tail, and
     * equal infinities compare equal.
     */
    @Test
    void comparisonsWithNaNAndInfinitiesAgreeInBothModes() {
        float inf = Float.POSITIVE_INFINITY;
        float[] a = new float[37];
        float[] b = new float[37];
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (i % 6) {
                case 0 -> Float.NaN;
                case 1 -> inf;
                case 2 -> -inf;
                case 3 -> 1f;
                default -> i - 18;
            };
            b[i] = i % 5 == 0 ? Float.NaN : i % 5 == 1 ? inf : (i % 4) - 1;
        }
        Tensor x = Tensor.of(a, 1, a.length);
        Tensor y = Tensor.of(b, 1, b.length);
        for (Binary kind : new Binary[] {Binary.GREATER, Binary.GREATER_EQUAL, Binary.LESS, Binary.LESS_EQUAL,
                Binary.EQUAL, Binary.NOT_EQUAL}) {
            TracedFunction f = TracedFunction.trace(kind.type(), (graph, in) -> new Tensor[] {
                    Dispatch.apply(kind, in[0], in[1]), Dispatch.apply(kind, in[0], Tensor.scalar(Float.NaN)),
                    Dispatch.apply(kind, Tensor.scalar(inf), in[0])}, new int[] {-1, a.length}, new int[] {-1,
                    a.length});
            Tensor[] graph = f.call(x, y);
            Tensor[] eager = {Dispatch.apply(kind, x, y), Dispatch.apply(kind, x, Tensor.scalar(Float.NaN)),
                    Dispatch.apply(kind, Tensor.scalar(inf), x)};
            for (int k = 0; k < eager.length; k++) {
                float[] e = eager[k].toArray();
                for (int i = 0; i < e.length; i++) {
                    float ai = k == 2 ? inf : a[i];
                    float bi = k == 0 ? b[i] : k == 1 ? Float.NaN : a[i];
                    assertThat(e[i]).as(kind + " eager " + ai + ", " + bi).isEqualTo(kind.apply(ai, bi));
                }
                assertThat(graph[k].toArray()).as(kind + " graph, form " + k).containsExactly(e);
            }
        }
    }

    /** The Vector API's comparisons themselves (the build runs with the module): the scalar kinds' values. */
    @Test
    void vectorComparisonsGiveTheScalarValues() {
        if (!MatMulKernels.vectorized()) {
            return;
        }
        float[] a = {Float.NaN, 1f, -0f, 0f, Float.POSITIVE_INFINITY, -2f, 3f, Float.NEGATIVE_INFINITY, 5f, 1e-45f,
            -1e-45f, 7f, 8f, Float.NaN, 2f, 2f, 0f, 1f, -3f, Float.NaN, 4f, 2f, Float.POSITIVE_INFINITY, -1f};
        float[] b = {1f, Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, -2f, 4f, Float.NEGATIVE_INFINITY, -5f, 0f,
            0f, 7.5f, 8f, Float.NaN, 1f, 3f, 0f, -1f, -3f, 2f, Float.NaN, 2f, 1f, -1f};
        int n = a.length - 3; // at least one vector of 16 lanes (AVX-512) after the offsets
        for (float s : new float[] {0f, 2f, Float.NaN}) {
            float[][] out = new float[12][n + 5];
            int[] wrote = new int[12];
            for (int form = 0; form < 2; form++) { // against the row b (from offset 1), then against the value s
                float[] row = form == 0 ? b : null;
                int k = 6 * form;
                // a from offset 2, b from 1, out from 4: a mix-up of offsets or operands shows in the values
                wrote[k] = VectorMath.greater(a, 2, row, 1, s, out[k], 4, n);
                wrote[k + 1] = VectorMath.greaterEqual(a, 2, row, 1, s, out[k + 1], 4, n);
                wrote[k + 2] = VectorMath.less(a, 2, row, 1, s, out[k + 2], 4, n);
                wrote[k + 3] = VectorMath.lessEqual(a, 2, row, 1, s, out[k + 3], 4, n);
                wrote[k + 4] = VectorMath.equal(a, 2, row, 1, s, out[k + 4], 4, n);
                wrote[k + 5] = VectorMath.notEqual(a, 2, row, 1, s, out[k + 5], 4, n);
            }
            assertVectorComparisons(a, b, s, out, wrote);
        }
    }

    private static void assertVectorComparisons(float[] a, float[] b, float s, float[][] out, int[] wrote) {
        Binary[] six = {Binary.GREATER, Binary.GREATER_EQUAL, Binary.LESS, Binary.LESS_EQUAL, Binary.EQUAL,
            Binary.NOT_EQUAL};
        Binary[] kinds = new Binary[12];
        for (int k = 0; k < 12; k++) {
            kinds[k] = six[k % 6];
        }
        for (int k = 0; k < kinds.length; k++) {
            assertThat(wrote[k]).isPositive();
            for (int i = 0; i < wrote[k]; i++) {
                float bi = k < 6 ? b[1 + i] : s;
                assertThat(out[k][4 + i]).as(kinds[k] + "(" + a[2 + i] + ", " + bi + ")")
                        .isEqualTo(kinds[k].apply(a[2 + i], bi));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(out[k][i]).as("before the output's offset").isZero();
            }
        }
    }

    /**
     * A mean of a batched value differentiates into a broadcast to the symbolic batch: its gradient must stay batched
     * through a product and through a bias, not become one row (a broadcast that took the kept axis's 1 for the
     * batch traced {@code mean(x·V)} into a refusal and gave a bias 1/(n·N) instead of 1/N).
     */
    @Test
    void meansOverTheBatchDifferentiateAsInEager() {
        Variable v = new Variable("v", Tensor.uniform(new Rng(7), -1f, 1f, 3, 2));
        Variable b = new Variable("b", Tensor.uniform(new Rng(8), -1f, 1f, 2));
        TracedFunction f = TracedFunction.trace("means", (graph, in) -> {
            Tensor loss = add(mean(matmul(in[0], v.value())), mean(add(matmul(in[0], v.value()), b.value())));
            Tensor[] g = graph.gradients(loss, List.of(v, b));
            return new Tensor[] {loss, g[0], g[1]};
        }, new int[] {-1, 3});
        for (int batch : new int[] {4, 1, 9}) {
            Tensor x = Tensor.uniform(new Rng(batch), -1f, 1f, batch, 3);
            Tensor[] graph = f.call(x);
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = add(mean(matmul(x, v.value())), mean(add(matmul(x, v.value()), b.value())));
                Tensor[] eager = tape.gradient(loss, new Variable[] {v, b});
                assertThat(graph[0].item()).isCloseTo(loss.item(), within(1e-5f));
                for (int k = 0; k < 2; k++) {
                    float[] e = eager[k].toArray();
                    float[] a = graph[k + 1].toArray();
                    assertThat(graph[k + 1].shape()).isEqualTo(eager[k].shape());
                    for (int i = 0; i < e.length; i++) {
                        assertThat(a[i]).as("gradient %d [%d], batch %d", k, i, batch).isCloseTo(e[i], within(1e-5f));
                    }
                }
            }
        }
        assertThatThrownBy(() -> Ops.broadcastTo(Tensor.ones(3), -1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown");
    }

    /**
     * A broadcast of a value without batch to a batched shape the feature-major layout cannot express runs the eager
     * kernel inside the plan with the node's concrete shape (the op's own inference leaves the batch unknown), at
     * batch sizes that come back, as a fit's last batch does.
     */
    @Test
    void aBroadcastToABatchedShapeRunsItsKernelInThePlan() {
        Variable w = new Variable("w", Tensor.uniform(new Rng(3), -1f, 1f, 3));
        java.util.function.Function<Tensor, Tensor> loss = x -> sum(Ops.square(add(Ops.reshape(x, -1, 1, 3),
                Ops.broadcastTo(Ops.reshape(w.value(), 1, 1, 3), x.shape()[0], 2, 3))));
        TracedFunction f = TracedFunction.trace("broadcast", (graph, in) -> {
            Tensor l = loss.apply(in[0]);
            return new Tensor[] {l, graph.gradients(l, List.of(w))[0]};
        }, new int[] {-1, 3});
        for (int batch : new int[] {4, 7, 4, 1, 7}) {
            Tensor x = Tensor.uniform(new Rng(batch), -1f, 1f, batch, 3);
            Tensor[] graph = f.call(x);
            try (GradientTape tape = new GradientTape()) {
                Tensor l = loss.apply(x);
                float[] e = tape.gradient(l, new Variable[] {w})[0].toArray();
                assertThat(graph[0].item()).as("loss, batch " + batch).isCloseTo(l.item(), within(1e-4f));
                for (int i = 0; i < e.length; i++) {
                    assertThat(graph[1].toArray()[i]).as("d/dw [%d], batch %d", i, batch).isCloseTo(e[i],
                            within(1e-4f));
                }
            }
        }
    }
}
