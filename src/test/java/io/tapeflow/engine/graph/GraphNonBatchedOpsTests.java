package io.tapeflow.engine.graph;

import static io.tapeflow.engine.Ops.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ops on values without a batch dimension that the plan has no step of its own for (issue #13's trace-time refusals):
 * they run the eager kernel inside the plan, so the forward value and the gradients equal eager mode's, and the batched
 * part of the step keeps its plan steps.
 */
class GraphNonBatchedOpsTests {

    private record Case(String name, Function<Variable[], Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Variable[] variables() {
        Rng rng = new Rng(7);
        return new Variable[] {
                new Variable("a", Tensor.uniform(rng, -1f, 1f, 2, 1, 1, 3)),
                new Variable("b", Tensor.uniform(rng, -1f, 1f, 3)),
                new Variable("m", Tensor.uniform(rng, -1f, 1f, 2, 3))};
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("(2,1,1,3) + (3,)", p -> add(p[0].value(), p[1].value())),
                new Case("(2,3) * (2,1)", p -> mul(p[2].value(), sum(p[2].value(), new int[] {1}, true))),
                new Case("broadcastTo", p -> broadcastTo(p[1].value(), 4, 3)),
                new Case("sum over axis 0", p -> mul(sum(p[2].value(), new int[] {0}, false), p[1].value())),
                new Case("mean over axis 1 keepDims", p -> mean(square(p[2].value()), new int[] {1}, true)),
                new Case("max of rank 2", p -> max(p[2].value(), new int[] {1}, false)),
                new Case("softmax of rank 2", p -> softmax(p[2].value())),
                new Case("logSumExp of rank 2", p -> logSumExp(p[2].value())),
                new Case("concat", p -> concat(0, p[2].value(), reshape(p[1].value(), 1, 3))),
                new Case("slice", p -> slice(p[2].value(), new int[] {0, 1}, new int[] {2, -1})),
                new Case("pad", p -> pad(p[2].value(), new int[] {1, 0}, new int[] {0, 2})),
                new Case("gather", p -> gather(p[2].value(), new int[] {1, 0, 1})),
                new Case("transpose", p -> transpose(p[2].value())),
                new Case("rank-3 product", p -> matmul(reshape(p[0].value(), 2, 1, 3), transpose(p[2].value()))))
                .map(Arguments::of);
    }

    private static Tensor objective(Tensor y) {
        return sum(mul(y, sin(y)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsTheEagerKernelInsideThePlan(Case c) {
        Variable[] graphVars = variables();
        TracedFunction f = TracedFunction.trace(c.name(), (graph, in) -> {
            Tensor y = c.f().apply(graphVars);
            Tensor loss = add(objective(y), mean(mul(in[0], sum(graphVars[1].value()))));
            Tensor[] grads = graph.gradients(loss, List.of(graphVars));
            Tensor[] out = new Tensor[1 + grads.length];
            out[0] = y;
            for (int i = 0; i < grads.length; i++) {
                out[i + 1] = grads[i] == null ? Tensor.zeros(graphVars[i].shape()) : grads[i];
            }
            return out;
        }, new int[] {-1, 2});
        for (int rows : new int[] {3, 5}) {
            Tensor x = Tensor.uniform(new Rng(rows), -1f, 1f, rows, 2);
            Tensor[] graphOut = f.call(x);
            Variable[] eagerVars = variables();
            try (GradientTape tape = new GradientTape()) {
                Tensor y = c.f().apply(eagerVars);
                Tensor loss = add(objective(y), mean(mul(x, sum(eagerVars[1].value()))));
                Tensor[] grads = tape.gradient(loss, eagerVars);
                assertClose(c.name() + " forward", graphOut[0], y);
                for (int i = 0; i < grads.length; i++) {
                    assertClose(c.name() + " gradient of " + eagerVars[i].name(), graphOut[i + 1],
                            grads[i] == null ? Tensor.zeros(eagerVars[i].shape()) : grads[i]);
                }
            }
        }
    }

    private static void assertClose(String label, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(label + " shape").isEqualTo(expected.shape());
        float[] a = actual.toArray();
        float[] e = expected.toArray();
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as(label + " [" + i + "]").isCloseTo(e[i], within(1e-5f * Math.max(1, Math.abs(e[i]))));
        }
    }

    @Test
    void aSymbolicTensorHasNoSizeOrValues() {
        Tensor s = Tensor.symbolic(-1, 3);
        assertThat(s.isSymbolic()).isTrue();
        assertThat(Tensor.zeros(2, 3).isSymbolic()).isFalse();
        assertThatThrownBy(s::size).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("symbolic tensor of shape (None, 3)");
        assertThatThrownBy(s::toArray).isInstanceOf(IllegalStateException.class);
        assertThat(s.toString()).contains("symbolic").contains("(None, 3)");
    }
}
