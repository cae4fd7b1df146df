package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.tapeflow.nn.Metric;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Evaluation} against scikit-learn: {@code golden/evaluation/evaluation_golden.json}, written by
 * {@code make_evaluation_golden.py} beside it (binary with tied scores, 3 and 4 classes with a class never
 * predicted, regression with one and two outputs and a constant target).
 */
class EvaluationGoldenTests {

    static final double TOLERANCE = 1e-9;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesScikitLearn() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/evaluation/evaluation_golden.json")) {
            golden = JsonMapper.builder().build().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            tests.add(dynamicTest(c.get("name").asString(), () -> check(c)));
        }
        assertThat(tests).hasSize(7);
        return tests.stream();
    }

    private static void check(JsonNode c) {
        EvaluationKind kind = EvaluationKind.valueOf(c.get("kind").asString().toUpperCase());
        int rows = c.get("rows").asInt();
        EvaluationBody body = Evaluation.report(kind, c.get("loss").asString(), floats(c.get("labels")),
                floats(c.get("outputs")), rows, c.get("labelWidth").asInt(), c.get("outputWidth").asInt(), null);
        JsonNode e = c.get("expected");
        assertThat(body.rows()).isEqualTo(rows);
        assertThat(body.kind()).isEqualTo(kind.apiName());
        assertThat(body.loss().name()).isEqualTo(c.get("loss").asString());
        assertThat(body.loss().value()).as("loss").isCloseTo(e.get("loss").asDouble(), within(TOLERANCE));
        if (kind == EvaluationKind.REGRESSION) {
            for (String m : List.of("mse", "rmse", "mae", "r2")) {
                assertThat(body.metrics().get(m)).as(m).isCloseTo(e.get(m).asDouble(), within(TOLERANCE));
            }
            assertThat(body.classes()).isNull();
            assertThat(body.confusionMatrix()).isNull();
            return;
        }
        for (String m : List.of("accuracy", "log_loss", "roc_auc")) {
            assertThat(body.metrics().get(m)).as(m).isCloseTo(e.get(m).asDouble(), within(TOLERANCE));
        }
        for (int k = 0; k < body.classes().size(); k++) {
            EvaluationBody.ClassMetrics m = body.classes().get(k);
            assertThat(m.name()).isEqualTo(Integer.toString(k));
            assertThat(m.precision()).as("precision " + k).isCloseTo(e.get("precision").get(k).asDouble(),
                    within(TOLERANCE));
            assertThat(m.recall()).as("recall " + k).isCloseTo(e.get("recall").get(k).asDouble(), within(TOLERANCE));
            assertThat(m.f1()).as("f1 " + k).isCloseTo(e.get("f1").get(k).asDouble(), within(TOLERANCE));
            assertThat(m.support()).as("support " + k).isEqualTo(e.get("support").get(k).asLong());
        }
        assertThat(body.classes()).hasSize(e.get("support").size());
        average(body.averages().macro(), e.get("averages").get("macro"), rows);
        average(body.averages().weighted(), e.get("averages").get("weighted"), rows);
        JsonNode matrix = e.get("confusionMatrix");
        assertThat(body.confusionMatrix().matrix().length).isEqualTo(matrix.size());
        for (int t = 0; t < matrix.size(); t++) {
            for (int p = 0; p < matrix.size(); p++) {
                assertThat(body.confusionMatrix().matrix()[t][p]).as("matrix[%d][%d]", t, p)
                        .isEqualTo(matrix.get(t).get(p).asLong());
            }
        }
        if (kind == EvaluationKind.BINARY) {
            JsonNode roc = e.get("roc");
            curve(body.roc().fpr(), roc.get("fpr"), "fpr");
            curve(body.roc().tpr(), roc.get("tpr"), "tpr");
            curve(body.roc().thresholds(), roc.get("thresholds"), "thresholds");
        } else {
            assertThat(body.roc()).isNull();
        }
    }

    private static void average(EvaluationBody.Average actual, JsonNode expected, int rows) {
        assertThat(actual.precision()).isCloseTo(expected.get("precision").asDouble(), within(TOLERANCE));
        assertThat(actual.recall()).isCloseTo(expected.get("recall").asDouble(), within(TOLERANCE));
        assertThat(actual.f1()).isCloseTo(expected.get("f1").asDouble(), within(TOLERANCE));
        assertThat(actual.support()).isEqualTo(rows);
    }

    private static void curve(double[] actual, JsonNode expected, String name) {
        assertThat(actual.length).as(name + " points").isEqualTo(expected.size());
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as(name + "[" + i + "]").isCloseTo(expected.get(i).asDouble(), within(TOLERANCE));
        }
    }

    /** Each value is a float32 written as its exact float64 value, so the cast is exact. */
    private static float[] floats(JsonNode values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            double v = values.get(i).asDouble();
            out[i] = (float) v;
            assertThat((double) out[i]).as("a float32 value").isEqualTo(v);
        }
        return out;
    }

    @Test
    void theBinaryCutOffIsAboveOneHalfSoExactlyOneHalfIsClassZero() {
        assertThat(Metric.binaryClass(0.5f)).isZero();
        assertThat(Metric.binaryClass(Math.nextUp(0.5f))).isOne();
        assertThat(Metric.binaryClass(Math.nextDown(0.5f))).isZero();
        assertThat(Metric.binaryClass(Float.NaN)).isZero();
    }

    @Test
    void labelsThatDoNotFitTheKindAreNamedByRow() {
        float[] p = {0.2f, 0.7f};
        assertThat(Evaluation.labelProblem(EvaluationKind.BINARY, new float[] {0, 2}, 2, 1, 1)).contains("row 1");
        assertThat(Evaluation.labelProblem(EvaluationKind.MULTICLASS, new float[] {0, 1.5f}, 2, 1, 3))
                .contains("row 1");
        assertThat(Evaluation.labelProblem(EvaluationKind.MULTICLASS, new float[] {1, 0, 0, 1, 1, 0}, 2, 3, 3))
                .contains("row 1").contains("one-hot");
        assertThat(Evaluation.labelProblem(EvaluationKind.MULTICLASS, new float[] {0, 1}, 1, 2, 3))
                .contains("2 label columns");
        assertThat(Evaluation.labelProblem(EvaluationKind.REGRESSION, new float[] {0, 1}, 2, 1, 2))
                .contains("2 outputs");
        assertThat(Evaluation.labelProblem(EvaluationKind.BINARY, new float[] {0, 1}, 2, 1, 1)).isNull();
        assertThat(Evaluation.report(EvaluationKind.BINARY, null, new float[] {0, 1}, p, 2, 1, 1, List.of("no",
                "yes")).loss().name()).isEqualTo("binary_crossentropy");
    }

    @Test
    void oneClassInTheRowsLeavesRocUndefinedNotWrong() {
        EvaluationBody body = Evaluation.report(EvaluationKind.BINARY, "binary_crossentropy",
                new float[] {1, 1, 1}, new float[] {0.9f, 0.2f, 0.6f}, 3, 1, 1, null);
        assertThat(body.roc()).isNull();
        assertThat(body.metrics()).doesNotContainKey("roc_auc").containsKey("accuracy");
        assertThat(body.classes().get(0).precision()).isZero();
        assertThat(body.classes().get(0).support()).isZero();
        EvaluationBody diverged = Evaluation.report(EvaluationKind.REGRESSION, "mse", new float[] {1, 2},
                new float[] {Float.NaN, 1}, 2, 1, 1, null);
        assertThat(diverged.metrics()).doesNotContainKey("mse");
        assertThat(diverged.loss().value()).isNull();
    }

    /** The report example in the OpenAPI document is the real report of its four rows, to four decimals. */
    @Test
    void theOpenApiExampleIsWhatTheCodeComputes() {
        JsonNode example = JsonMapper.builder().build().readTree(EvaluationResponse.EXAMPLE);
        EvaluationBody body = Evaluation.report(EvaluationKind.BINARY, "binary_crossentropy",
                new float[] {0, 0, 1, 1}, new float[] {0.2f, 0.1f, 0.9f, 0.45f}, 4, 1, 1, null);
        JsonNode actual = JsonMapper.builder().build().valueToTree(body);
        for (String part : List.of("loss", "metrics", "classes", "averages", "confusionMatrix", "roc")) {
            assertClose(actual.get(part), example.get(part), part);
        }
    }

    private static void assertClose(JsonNode actual, JsonNode expected, String path) {
        if (expected.isNumber()) {
            assertThat(actual.asDouble()).as(path).isCloseTo(expected.asDouble(), within(5e-5));
        } else if (expected.isContainer()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertClose(actual.get(i), expected.get(i), path + "[" + i + "]");
                }
            } else {
                for (String name : expected.propertyNames()) {
                    assertClose(actual.get(name), expected.get(name), path + "." + name);
                }
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    @Test
    void aLongRocCurveIsThinnedKeepingItsEndsAndTheAucOfEveryPoint() {
        int rows = 100_003;
        float[] labels = new float[rows];
        float[] scores = new float[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 3 == 0 ? 1 : 0;
            scores[r] = (float) ((r * 7919L) % rows) / rows;
        }
        EvaluationBody body = Evaluation.report(EvaluationKind.BINARY, null, labels, scores, rows, 1, 1, null);
        EvaluationBody.Roc roc = body.roc();
        assertThat(roc.fpr().length).isLessThanOrEqualTo(Evaluation.MAX_ROC_POINTS).isGreaterThan(Evaluation.MAX_ROC_POINTS / 2);
        assertThat(roc.tpr().length).isEqualTo(roc.fpr().length);
        assertThat(roc.fpr()[0]).isZero();
        assertThat(roc.fpr()[roc.fpr().length - 1]).isEqualTo(1.0);
        assertThat(roc.tpr()[roc.tpr().length - 1]).isEqualTo(1.0);
        for (int i = 1; i < roc.fpr().length; i++) {
            assertThat(roc.thresholds()[i]).isLessThan(roc.thresholds()[i - 1]);
            assertThat(roc.fpr()[i]).isGreaterThanOrEqualTo(roc.fpr()[i - 1]);
        }
        // the AUC is the full curve's: within the thinned curve's own trapezoid error of it
        assertThat(body.metrics().get("roc_auc")).isCloseTo(Evaluation.trapezoid(roc.fpr(), roc.tpr()),
                within(1e-3));
    }
}
