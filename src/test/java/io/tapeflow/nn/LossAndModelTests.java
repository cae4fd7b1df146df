package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.engine.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossAndModelTests {

    private static final Tensor Y = Tensor.of(new float[][] {{1f}, {0f}, {1f}});
    private static final Tensor P = Tensor.of(new float[][] {{0.9f}, {0.2f}, {0f}});

    @Test
    void lossesMatchTheirFormulas() {
        assertThat(Loss.HALF_MSE.compute(Y, P).item()).isCloseTo((0.01f + 0.04f + 1f) / 6f, within(1e-6f));
        assertThat(Loss.MSE.compute(Y, P).item()).isCloseTo((0.01f + 0.04f + 1f) / 3f, within(1e-6f));
        // The reference clips ŷ = 0 to 1e-7, so the third row costs −log(1e-7) instead of infinity.
        double bce = (-Math.log(0.9) - Math.log(0.8) - Math.log(1e-7)) / 3;
        assertThat((double) Loss.BINARY_CROSSENTROPY.compute(Y, P).item()).isCloseTo(bce, within(1e-4));
    }

    @Test
    void fromLogitsLossesAreStableAndAgreeWithTheirProbabilityForms() {
        Tensor logits = Tensor.of(new float[][] {{2f}, {-1f}, {-200f}});
        double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + 200) / 3;
        assertThat((double) Loss.BINARY_CROSSENTROPY_FROM_LOGITS.compute(Y, logits).item())
                .isCloseTo(expected, within(1e-4));
        Tensor oneHot = Tensor.of(new float[][] {{0f, 1f, 0f}, {1f, 0f, 0f}});
        Tensor z = Tensor.of(new float[][] {{1f, 2f, 3f}, {1000f, 0f, 0f}});
        double row1 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2;
        assertThat((double) Loss.SOFTMAX_CROSSENTROPY.compute(oneHot, z).item()).isCloseTo(row1 / 2, within(1e-4));
    }

    @Test
    void metrics() {
        float[] y = {1f, 0f, 1f, 0f};
        assertThat(Metric.BINARY_ACCURACY.compute(y, new float[] {0.9f, 0.6f, 0.7f, 0.1f}, 4, 1, false))
                .isEqualTo(0.75);
        assertThat(Metric.BINARY_ACCURACY.compute(y, new float[] {2f, -1f, -3f, -1f}, 4, 1, true)).isEqualTo(0.75);
        assertThat(Metric.MEAN_ABSOLUTE_ERROR.compute(y, new float[] {0.5f, 0f, 1f, 1f}, 4, 1, false))
                .isEqualTo(0.375);
    }

    @Test
    void modelsNameTheirParametersLikeKeras() {
        Sequential mlp = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.GLOROT_UNIFORM, new Rng(1));
        assertThat(mlp.parameters().keySet()).containsExactly("dense_1/bias", "dense_1/kernel", "dense_2/bias",
                "dense_2/kernel", "dense_3/bias", "dense_3/kernel");
        assertThat(mlp.parameters().get("dense_2/kernel").shape()).containsExactly(4, 8);
        assertThat(mlp.parameterCount()).isEqualTo(2 * 4 + 4 + 4 * 8 + 8 + 8 + 1);
        assertThat(mlp.trainableVariables()).hasSize(6);
        assertThat(Sequential.linear(2, 1, Initializer.NORMAL, new Rng(1)).parameters().keySet())
                .containsExactly("dense_1/bias", "dense_1/kernel");
    }

    @Test
    void namesParseAndUnknownNamesListTheChoices() {
        assertThat(Initializer.byName("truncated_normal")).isEqualTo(Initializer.TRUNCATED_NORMAL);
        assertThat(Loss.byName("binary_crossentropy_from_logits")).isEqualTo(Loss.BINARY_CROSSENTROPY_FROM_LOGITS);
        assertThat(OptimizerConfig.Kind.byName("rmsprop")).isEqualTo(OptimizerConfig.Kind.RMSPROP);
        assertThatThrownBy(() -> Activation.byName("gelu"))
                .hasMessageContaining("Unknown activation 'gelu'").hasMessageContaining("softmax");
    }

    @Test
    void initializersDrawFromTheirDistributions() {
        Rng rng = new Rng(5);
        float[] t = Initializer.TRUNCATED_NORMAL.kernel(50, 40, rng).toArray();
        float[] g = Initializer.GLOROT_UNIFORM.kernel(50, 40, rng).toArray();
        float limit = (float) Math.sqrt(6.0 / 90);
        for (int i = 0; i < t.length; i++) {
            assertThat(t[i]).isBetween(-2f, 2f);
            assertThat(g[i]).isBetween(-limit, limit);
        }
        assertThat(Initializer.ZEROS.kernel(2, 3, rng).toArray()).containsOnly(0f);
    }

    @Test
    void inputGradientsOfALinearModelAreItsWeights() {
        Sequential model = Sequential.linear(3, 2, Initializer.NORMAL, new Rng(3));
        float[] w = model.parameters().get("dense_1/kernel").toArray(); // 3×2
        float[] grads = model.inputGradients(new float[] {1f, 2f, 3f, -1f, 0f, 5f}, 2);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 3; i++) {
                    assertThat(grads[(r * 2 + j) * 3 + i]).isEqualTo(w[i * 2 + j]);
                }
            }
        }
    }

    @Test
    void inputGradientsOfAnMlpMatchFiniteDifferences() {
        Sequential model = Sequential.mlp(2, new int[] {5}, Activation.TANH, 1, Activation.SIGMOID,
                Initializer.GLOROT_UNIFORM, new Rng(4));
        float[] x = {0.3f, -0.7f};
        float[] grads = model.inputGradients(x, 1);
        for (int i = 0; i < 2; i++) {
            float[] up = x.clone();
            float[] down = x.clone();
            up[i] += 1e-2f;
            down[i] -= 1e-2f;
            double numeric = (model.predict(up, 1)[0] - model.predict(down, 1)[0]) / ((double) up[i] - down[i]);
            assertThat((double) grads[i]).isCloseTo(numeric, within(1e-3));
        }
    }

    @Test
    void setParametersChecksNames() {
        Sequential model = Sequential.linear(2, 1, Initializer.ZEROS, new Rng(1));
        model.setParameters(Map.of("dense_1/kernel", new float[] {1f, 2f}, "dense_1/bias", new float[] {3f}));
        assertThat(model.predict(new float[] {1f, 1f}, 1)).containsExactly(6f);
        assertThatThrownBy(() -> model.setParameters(Map.of("w", new float[2], "b", new float[1])))
                .hasMessageContaining("missing parameter dense_1/");
        List<Variable> vars = model.variables();
        assertThat(vars).extracting(Variable::name).containsExactly("dense_1/bias", "dense_1/kernel");
    }
}
