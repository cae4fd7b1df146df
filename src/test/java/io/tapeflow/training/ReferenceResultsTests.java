package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.UUID;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The reference chapter's two workloads through the API, end to end: data set → job → poll → model → predictions.
 * Run once per database by the subclasses.
 */
abstract class ReferenceResultsTests {

    @LocalServerPort
    int port;

    @Autowired
    DatasetStore datasets;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    @Test
    void linearRegressionLandsOnTheLeastSquaresSolutionAndPredictsXTimesWPlusB() {
        String dataset = api.linearDataset();
        JsonNode job = api.awaitSucceeded(api.submit(TrainingApi.LINEAR_JOB.formatted(dataset, 200, 1)));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);

        JsonNode model = api.model(job.get("modelId").asString());
        JsonNode kernel = model.get("parameters").get("dense_1/kernel");
        assertThat(kernel.get("shape").toString()).isEqualTo("[2,1]");
        float w1 = kernel.get("values").get(0).get(0).floatValue();
        float w2 = kernel.get("values").get(1).get(0).floatValue();
        float b = model.get("parameters").get("dense_1/bias").get("values").get(0).floatValue();

        double[] ls = leastSquares(datasets.load(UUID.fromString(dataset)).orElseThrow());
        assertThat((double) w1).isCloseTo(ls[0], within(0.02));
        assertThat((double) w2).isCloseTo(ls[1], within(0.02));
        assertThat((double) b).isCloseTo(ls[2], within(0.02));

        Http.Response predicted = api.predict(model.get("id").asString(),
                "{\"instances\": [[1.0, 2.0], [-3.5, 0.25], [0, 0]]}");
        assertThat(predicted.status()).as(predicted.toString()).isEqualTo(200);
        float[][] x = {{1.0f, 2.0f}, {-3.5f, 0.25f}, {0f, 0f}};
        for (int i = 0; i < x.length; i++) {
            float expected = x[i][0] * w1 + x[i][1] * w2 + b;
            assertThat(predicted.json().get("predictions").get(i).get(0).floatValue())
                    .isCloseTo(expected, within(1e-5f));
        }
        assertThat(predicted.json().has("classes")).as("a regressor has no classes").isFalse();
    }

    @Test
    void ringsClassifierWithAdamIsAccurateOnFreshPoints() {
        String train = api.ringsDataset(7, 2000);
        String id = api.submit(TrainingApi.RINGS_JOB.formatted(train, "adam", "0.01", 100, 1));
        JsonNode job = api.awaitSucceeded(id);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("request").get("execution").asString()).as("the default").isEqualTo("graph");
        assertThat(job.get("latest").get("accuracy").asDouble()).isGreaterThan(0.9);

        DatasetData fresh = datasets.load(UUID.fromString(api.ringsDataset(20261125, 1000))).orElseThrow();
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < fresh.rows(); r++) {
            body.append(r == 0 ? "" : ",").append('[').append(fresh.features()[2 * r]).append(',')
                    .append(fresh.features()[2 * r + 1]).append(']');
        }
        Http.Response predicted = api.predict(job.get("modelId").asString(), body.append("]}").toString());
        assertThat(predicted.status()).as(predicted.toString()).isEqualTo(200);
        JsonNode classes = predicted.json().get("classes");
        JsonNode probabilities = predicted.json().get("predictions");
        int correct = 0;
        for (int r = 0; r < fresh.rows(); r++) {
            int predictedClass = classes.get(r).get(0).asInt();
            assertThat(predictedClass).isEqualTo(probabilities.get(r).get(0).floatValue() >= 0.5f ? 1 : 0);
            correct += predictedClass == (int) fresh.labels()[r] ? 1 : 0;
        }
        assertThat(correct / (double) fresh.rows()).isGreaterThanOrEqualTo(0.92);
    }

    @Test
    void ringsWithTheReferenceSgdRunsToTheEndWithAFallingLoss() {
        String train = api.ringsDataset(7, 2000);
        JsonNode job = api.awaitSucceeded(api.submit(TrainingApi.RINGS_JOB.formatted(train, "sgd", "0.001", 600, 1)));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode epochs = api.metrics(job.get("id").asString()).get("epochs");
        assertThat(epochs.size()).isEqualTo(600);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 50; i++) {
            first += epochs.get(i).get("metrics").get("loss").asDouble() / 50;
            last += epochs.get(599 - i).get("metrics").get("loss").asDouble() / 50;
        }
        assertThat(epochs.get(0).get("epoch").asInt()).isEqualTo(1);
        assertThat(last).as("mean loss of the last 50 epochs vs the first 50").isLessThan(first * 0.9);
    }

    /** The closed-form least-squares [w1, w2, b] on the dataset's rows, via the normal equations in doubles. */
    static double[] leastSquares(DatasetData data) {
        double[][] a = new double[3][4];
        for (int r = 0; r < data.rows(); r++) {
            double[] x = {data.features()[2 * r], data.features()[2 * r + 1], 1.0};
            double y = data.labels()[r];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    a[i][j] += x[i] * x[j];
                }
                a[i][3] += x[i] * y;
            }
        }
        for (int c = 0; c < 3; c++) {
            int pivot = c;
            for (int r = c + 1; r < 3; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < 3; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k < 4; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        return new double[] {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
    }
}
