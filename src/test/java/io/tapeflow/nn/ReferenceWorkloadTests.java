package io.tapeflow.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference chapter's two workloads in eager mode, with its data, model and hyper-parameters. */
class ReferenceWorkloadTests {

    @Test
    void linearRegressionLandsOnTheLeastSquaresSolution() {
        ReferenceData data = ReferenceData.linear(42);
        Sequential model = Sequential.linear(2, 1, Initializer.NORMAL, new Rng(42));
        FitResult result = Trainer.fit(model, data.features(), data.labels(),
                FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 200, 10, 42), FitListener.NONE);

        assertThat(result.status()).isEqualTo(FitResult.Status.COMPLETED);
        double[] exact = leastSquares(data);
        float[] w = model.parameters().get("dense_1/kernel").toArray();
        float b = model.parameters().get("dense_1/bias").item();
        assertThat((double) w[0]).isCloseTo(exact[0], within(0.02));
        assertThat((double) w[1]).isCloseTo(exact[1], within(0.02));
        assertThat((double) b).isCloseTo(exact[2], within(0.02));
        assertThat((double) w[0]).isCloseTo(2.0, within(0.1));
        assertThat((double) w[1]).isCloseTo(-3.0, within(0.1));
        assertThat((double) b).isCloseTo(3.0, within(0.5));
    }

    /** Ordinary least squares for y ≈ x1·w1 + x2·w2 + b, solving the 3×3 normal equations in double. */
    private static double[] leastSquares(ReferenceData data) {
        double[][] a = new double[3][4];
        for (int r = 0; r < data.rows(); r++) {
            double[] row = {data.features()[2 * r], data.features()[2 * r + 1], 1.0};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    a[i][j] += row[i] * row[j];
                }
                a[i][3] += row[i] * data.labels()[r];
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int j = c; j < 4; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        return new double[] {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
    }

    private static Sequential ringsModel(long seed) {
        return Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, new Rng(seed));
    }

    private static double fullDataLoss(Sequential model, ReferenceData data) {
        Tensor predictions = model.call(Tensor.of(data.features(), data.rows(), 2));
        return Loss.BINARY_CROSSENTROPY.compute(Tensor.of(data.labels(), data.rows(), 1), predictions).item();
    }

    private static double fullDataAccuracy(Sequential model, ReferenceData data) {
        float[] p = model.predict(data.features(), data.rows());
        return Metric.BINARY_ACCURACY.compute(data.labels(), p, data.rows(), 1, false);
    }

    @Test
    void ringsWithTheReferenceSgdLearns() {
        ReferenceData data = ReferenceData.rings(1);
        Sequential model = ringsModel(1);
        double before = fullDataLoss(model, data);
        FitResult result = Trainer.fit(model, data.features(), data.labels(),
                FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.001f), 600, 100, 1), FitListener.NONE);

        assertThat(result.status()).isEqualTo(FitResult.Status.COMPLETED);
        double after = fullDataLoss(model, data);
        assertThat(after).isLessThan(before * 0.8).isLessThan(0.6);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void ringsWithAdamReaches93Percent(long seed) {
        ReferenceData data = ReferenceData.rings(seed);
        Sequential model = ringsModel(seed);
        FitResult result = Trainer.fit(model, data.features(), data.labels(),
                FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.adam(0.01f), 100, 100, seed), FitListener.NONE);

        assertThat(result.status()).isEqualTo(FitResult.Status.COMPLETED);
        assertThat(fullDataAccuracy(model, data)).isGreaterThanOrEqualTo(0.93);
    }
}
