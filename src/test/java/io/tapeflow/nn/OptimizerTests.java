package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first two steps of each optimizer on p = [1, −2] with gradients g1 = [0.5, −1], g2 = [0.2, 0.4], by hand. */
class OptimizerTests {

    private static float[] twoSteps(OptimizerConfig config) {
        Variable p = new Variable("p", Tensor.of(1f, -2f));
        Optimizer optimizer = config.create();
        optimizer.apply(List.of(p), List.of(Tensor.of(0.5f, -1f)));
        optimizer.apply(List.of(p), List.of(Tensor.of(0.2f, 0.4f)));
        assertThat(optimizer.iterations()).isEqualTo(2);
        return p.value().toArray();
    }

    @Test
    void sgd() {
        // p − 0.1·g1 − 0.1·g2
        assertThat(twoSteps(OptimizerConfig.sgd(0.1f))).containsExactly(new float[] {0.93f, -1.94f}, within(1e-6f));
    }

    @Test
    void sgdWithMomentum() {
        // v1 = −0.1·g1 = [−0.05, 0.1]; v2 = 0.9·v1 − 0.1·g2 = [−0.065, 0.05]; p = p0 + v1 + v2
        assertThat(twoSteps(OptimizerConfig.sgd(0.1f, 0.9f, false)))
                .containsExactly(new float[] {0.885f, -1.85f}, within(1e-6f));
    }

    @Test
    void sgdWithNesterov() {
        // step 1: p += 0.9·v1 − 0.1·g1 = [−0.095, 0.19]; step 2: p += 0.9·v2 − 0.1·g2 = [−0.0785, 0.005]
        assertThat(twoSteps(OptimizerConfig.sgd(0.1f, 0.9f, true)))
                .containsExactly(new float[] {0.8265f, -1.805f}, within(1e-6f));
    }

    @Test
    void adam() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-7;
        double[] p = {1, -2};
        double[][] g = {{0.5, -1}, {0.2, 0.4}};
        double[] m = new double[2];
        double[] v = new double[2];
        for (int t = 1; t <= 2; t++) {
            double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < 2; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[t - 1][i];
                v[i] = b2 * v[i] + (1 - b2) * g[t - 1][i] * g[t - 1][i];
                p[i] -= alpha * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        // The first Adam step moves each parameter by about lr against its gradient's sign.
        assertThat(twoSteps(OptimizerConfig.adam(0.1f)))
                .containsExactly(new float[] {(float) p[0], (float) p[1]}, within(1e-5f));
        assertThat(p[0]).isCloseTo(1 - 0.1 - 0.1, within(0.02));
    }

    @Test
    void rmsprop() {
        // v1 = 0.1·g1² = [0.025, 0.1]; p1 = p0 − 0.1·g1/√v1 = [1 − 0.316228, −2 + 0.316228]
        // v2 = 0.9·v1 + 0.1·g2² = [0.0265, 0.106]; p2 = p1 − 0.1·g2/√v2
        double p0 = 1 - 0.1 * 0.5 / Math.sqrt(0.025 + 1e-7) - 0.1 * 0.2 / Math.sqrt(0.0265 + 1e-7);
        double p1 = -2 + 0.1 * 1 / Math.sqrt(0.1 + 1e-7) - 0.1 * 0.4 / Math.sqrt(0.106 + 1e-7);
        assertThat(twoSteps(OptimizerConfig.rmsprop(0.1f)))
                .containsExactly(new float[] {(float) p0, (float) p1}, within(1e-5f));
    }

    @Test
    void stateRoundTripsExactly() {
        Variable p = new Variable("p", Tensor.of(1f, -2f));
        Optimizer optimizer = OptimizerConfig.adam(0.1f).create();
        optimizer.apply(List.of(p), List.of(Tensor.of(0.5f, -1f)));
        OptimizerState state = optimizer.state();
        Optimizer copy = OptimizerConfig.adam(0.1f).create();
        copy.restore(state);
        Variable q = new Variable("q", p.value());
        optimizer.apply(List.of(p), List.of(Tensor.of(0.2f, 0.4f)));
        copy.apply(List.of(q), List.of(Tensor.of(0.2f, 0.4f)));
        assertThat(q.value().toArray()).isEqualTo(p.value().toArray());
    }
}
