package io.tapeflow.engine;

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
        for (Tensor r : new Tensor[] {sum(X, new int[0], false), mean(X, new int[0], true), max(X, new int[0], false)}) {
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
        assertThatThrownBy(() -> TracedFunction.trace("gather", (graph, in) -> new Tensor[] {gather(in[0],
                new int[] {1, 0})}, new int[] {-1, 3}))
                .hasMessageContaining("[1, 0]").hasMessageNotContaining("[I@");
        assertThat(new Slice(new int[] {0, 1}, new int[] {1, -1}).toString()).doesNotContain("[I@")
                .contains("[0, 1]");
        assertThat(Ops.reshape(x, 3, 2).shape()).containsExactly(3, 2);
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
    void aBatchedRankThreeProductSaysWhyGraphModeRefusesIt() {
        Tensor b = Tensor.ones(4, 5);
        assertThatThrownBy(() -> TracedFunction.trace("bmm", (graph, in) -> new Tensor[] {
                matmul(Ops.reshape(in[0], -1, 3, 4), b)}, new int[] {-1, 12}))
                .hasMessageContaining("MatMul").hasMessageContaining("(None, 3, 4)")
                .hasMessageContaining("2-D");
        Variable w = new Variable("w", Tensor.ones(2, 3, 4));
        TracedFunction f = TracedFunction.trace("flat", (graph, in) -> new Tensor[] {
                mul(in[0], sum(matmul(w.value(), b)))}, new int[] {-1, 1});
        assertThat(f.call(Tensor.ones(2, 1))[0].toArray()).containsExactly(120f, 120f);
    }
}
