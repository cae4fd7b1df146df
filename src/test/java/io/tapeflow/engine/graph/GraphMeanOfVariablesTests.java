package io.tapeflow.engine.graph;

import static io.tapeflow.engine.Ops.add;
import static io.tapeflow.engine.Ops.matmul;
import static io.tapeflow.engine.Ops.mean;
import static io.tapeflow.engine.Ops.mul;
import static io.tapeflow.engine.Ops.square;
import static io.tapeflow.engine.Ops.sub;
import static io.tapeflow.engine.Ops.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.GradientTape;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Means of values without a batch dimension (a variable, a regulariser) in a traced step: their gradient divides by
 * the static count, exactly as in eager mode. Issue #13's first finding.
 */
class GraphMeanOfVariablesTests {

    private static float[] graphGradient(Variable w, Function<Tensor, Tensor> loss) {
        TracedFunction f = TracedFunction.trace("mean", (graph, in) -> {
            Tensor l = add(loss.apply(w.value()), sum(mul(in[0], 0f)));
            return new Tensor[] {graph.gradients(l, List.of(w))[0]};
        }, new int[] {-1, 1});
        return f.call(Tensor.zeros(3, 1))[0].toArray();
    }

    private static float[] eagerGradient(Variable w, Function<Tensor, Tensor> loss) {
        try (GradientTape tape = new GradientTape()) {
            return tape.gradient(loss.apply(w.value()), w).toArray();
        }
    }

    private static void assertClose(float[] actual, float... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("[" + i + "]").isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void meanOfTheSquareOfAVariable() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Function<Tensor, Tensor> loss = v -> mean(square(v));
        float third = 1f / 3f;
        assertClose(eagerGradient(w, loss), third, 2 * third, 1, 4 * third, 5 * third, 2);
        assertClose(graphGradient(w, loss), third, 2 * third, 1, 4 * third, 5 * third, 2);
    }

    @Test
    void meanOverAnAxisWithKeepDims() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
        Function<Tensor, Tensor> overRows = v -> sum(mean(v, new int[] {0}, true));
        Function<Tensor, Tensor> overColumns = v -> sum(mean(v, new int[] {1}, true));
        assertClose(graphGradient(w, overRows), 1, 1, 1, 1);
        assertClose(graphGradient(w, overColumns), 0.25f, 0.25f, 0.25f, 0.25f);
        assertClose(graphGradient(w, v -> mean(mean(v, new int[] {0}, true))), eagerGradient(w,
                v -> mean(mean(v, new int[] {0}, true))));
    }

    @Test
    void l2RegularisationTrainsWithTheEagerGradient() {
        float[] kernel = {0.5f, -1f, 2f, 0.25f};
        Variable wGraph = new Variable("W", Tensor.of(kernel, 2, 2));
        TracedFunction f = TracedFunction.trace("l2", (graph, in) -> {
            Tensor loss = add(mean(square(sub(matmul(in[0], wGraph.value()), in[1]))),
                    mul(mean(square(wGraph.value())), 0.1f));
            return new Tensor[] {loss, graph.gradients(loss, List.of(wGraph))[0]};
        }, new int[] {-1, 2}, new int[] {-1, 2});
        Tensor x = Tensor.of(new float[] {1, 2, -1, 0.5f, 3, -2}, 3, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0, -1, 2}, 3, 2);
        Tensor[] graphOut = f.call(x, y);

        Variable wEager = new Variable("W", Tensor.of(kernel, 2, 2));
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = add(mean(square(sub(matmul(x, wEager.value()), y))), mul(mean(square(wEager.value())), 0.1f));
            assertThat(graphOut[0].item()).isCloseTo(loss.item(), within(1e-5f));
            assertClose(graphOut[1].toArray(), tape.gradient(loss, wEager).toArray());
        }
    }
}
