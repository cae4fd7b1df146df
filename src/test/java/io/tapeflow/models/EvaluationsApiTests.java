package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

/** Evaluation reports over real HTTP: scoring a trained model on another dataset, storing, listing, drawing. */
abstract class EvaluationsApiTests {

    static final String MODELS = "/api/v1/models";

    @LocalServerPort
    int port;

    Http http;

    @Autowired
    EvaluationRepository evaluations;

    @Autowired
    ModelRepository models;

    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void aRingsClassifierScoredOnFreshRingsIsStoredListedAndDrawn() throws Exception {
        String model = train("""
                {"name": "rings", "seed": 17, "source": {"type": "rings", "positives": 300, "negatives": 300,
                 "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""", """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu",
                 "output": "sigmoid", "initializer": "truncated_normal"}, "loss": "binary_crossentropy",
                 "optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": 60, "batchSize": 50, "seed": 2}""");
        String fresh = dataset("""
                {"name": "more rings", "seed": 99, "source": {"type": "rings", "positives": 200, "negatives": 250,
                 "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""");

        Http.Response created = evaluate(model, fresh);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode report = created.json();
        String id = report.get("id").asString();
        assertThat(created.header("Location")).isEqualTo(http.baseUrl() + MODELS + "/" + model + "/evaluations/" + id);
        assertThat(report.get("modelId").asString()).isEqualTo(model);
        assertThat(report.get("datasetId").asString()).isEqualTo(fresh);
        assertThat(report.get("source").asString()).isEqualTo("dataset");
        assertThat(report.get("kind").asString()).isEqualTo("binary");
        assertThat(report.get("rows").asInt()).isEqualTo(450);
        assertThat(report.get("loss").get("name").asString()).isEqualTo("binary_crossentropy");
        assertThat(report.get("loss").get("value").asDouble()).isPositive();

        JsonNode matrix = report.get("confusionMatrix").get("matrix");
        assertThat(report.get("confusionMatrix").get("labels").toString()).isEqualTo("[\"0\",\"1\"]");
        long total = 0;
        long diagonal = 0;
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p < 2; p++) {
                total += matrix.get(t).get(p).asLong();
                diagonal += t == p ? matrix.get(t).get(p).asLong() : 0;
            }
        }
        assertThat(total).isEqualTo(450);
        JsonNode metrics = report.get("metrics");
        assertThat(metrics.get("accuracy").asDouble()).isEqualTo((double) diagonal / total);
        assertThat(metrics.get("accuracy").asDouble()).isGreaterThan(0.85);
        assertThat(metrics.get("roc_auc").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(metrics.get("log_loss").asDouble()).isPositive();
        assertThat(report.get("classes").findValuesAsString("name")).containsExactly("0", "1");
        assertThat(report.get("classes").get(0).get("support").asInt()).isEqualTo(250);
        assertThat(report.get("classes").get(1).get("support").asInt()).isEqualTo(200);
        assertThat(report.get("averages").get("weighted").get("support").asInt()).isEqualTo(450);
        JsonNode roc = report.get("roc");
        int points = roc.get("fpr").size();
        assertThat(roc.get("tpr").size()).isEqualTo(points);
        assertThat(roc.get("thresholds").size()).isEqualTo(points);
        assertThat(roc.get("fpr").get(0).asDouble()).isZero();
        assertThat(roc.get("tpr").get(points - 1).asDouble()).isEqualTo(1.0);

        Http.Response read = http.get(created.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(report);
        String second = evaluate(model, fresh).json().get("id").asString();
        JsonNode page = http.get(MODELS + "/" + model + "/evaluations").json();
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("items").findValuesAsString("id")).as("newest first").containsExactly(second, id);

        Document heatMap = svg(http.get(MODELS + "/" + model + "/evaluations/" + id + "/confusion-matrix"));
        assertThat(heatMap.getElementsByTagName("rect").getLength()).as("four cells and more").isGreaterThan(4);
        assertThat(heatMap.getDocumentElement().getTextContent()).contains("Predicted class", "True class");
        Document curve = svg(http.get(MODELS + "/" + model + "/evaluations/" + id + "/roc"));
        assertThat(curve.getElementsByTagName("polyline").getLength()).isEqualTo(1);
        assertThat(curve.getElementsByTagName("title").item(0).getTextContent()).contains("AUC = ");
    }

    @Test
    void aRegressorScoredOnFreshLinearDataHasRegressionMetricsAndNoPictures() {
        String model = train("""
                {"name": "linear", "seed": 42, "source": {"type": "linear", "samples": 200, "weights": [2.0, -3.0],
                 "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}""", """
                {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
                 "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 20, "batchSize": 10, "seed": 1}""");
        String fresh = dataset("""
                {"name": "more linear", "seed": 7, "source": {"type": "linear", "samples": 300,
                 "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}""");
        Http.Response created = evaluate(model, fresh);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode report = created.json();
        assertThat(report.get("kind").asString()).isEqualTo("regression");
        assertThat(report.get("loss").get("name").asString()).isEqualTo("half_mse");
        JsonNode metrics = report.get("metrics");
        assertThat(metrics.get("r2").asDouble()).isGreaterThan(0.9);
        assertThat(metrics.get("rmse").asDouble()).isEqualTo(Math.sqrt(metrics.get("mse").asDouble()));
        assertThat(report.get("loss").get("value").asDouble()).isEqualTo(metrics.get("mse").asDouble() / 2);
        assertThat(metrics.get("mae").asDouble()).isPositive();
        assertThat(report.has("classes")).isFalse();
        assertThat(report.has("confusionMatrix")).isFalse();
        assertThat(report.has("roc")).isFalse();
        String id = report.get("id").asString();
        for (String picture : List.of("roc", "confusion-matrix")) {
            Http.Response r = http.get(MODELS + "/" + model + "/evaluations/" + id + "/" + picture);
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void badRequestsNameTheDatasetIdAndUnknownIdsAre404() {
        String model = train("""
                {"name": "rings", "seed": 3, "source": {"type": "rings", "positives": 100, "negatives": 100,
                 "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""", """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4], "activation": "relu",
                 "output": "sigmoid"}, "loss": "binary_crossentropy", "epochs": 2, "batchSize": 50, "seed": 2}""");
        String otherFeatures = dataset("""
                {"name": "abc", "source": {"type": "inline", "features": [[1, 2], [3, 4]], "labels": [[0], [1]],
                 "featureNames": ["a", "b"]}}""");
        String continuousLabels = dataset("""
                {"name": "linear", "seed": 1, "source": {"type": "linear", "samples": 20, "weights": [2.0, -3.0],
                 "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}""");
        String path = MODELS + "/" + model + "/evaluations";
        record Case(String body, String message) {
        }
        List<Case> cases = List.of(
                new Case("{}", "is required"),
                new Case("{\"datasetId\": \"\"}", "is required"),
                new Case("{\"datasetId\": \"not-a-uuid\"}", "UUID"),
                new Case("{\"datasetId\": \"" + otherFeatures + "\"}", "[a, b]"),
                new Case("{\"datasetId\": \"" + continuousLabels + "\"}", "0 or 1"));
        for (Case c : cases) {
            Http.Response r = http.postJson(path, c.body());
            assertThat(r.status()).as(c.body() + " → " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("datasetId");
            assertThat(r.json().get("errors").get(0).get("message").asString()).contains(c.message());
        }
        assertThat(http.postJson(path, "not json").status()).isEqualTo(400);
        Http.Response unknownDataset = evaluate(model, UUID.randomUUID().toString());
        assertThat(unknownDataset.status()).isEqualTo(404);
        assertThat(unknownDataset.json().get("title").asString()).isEqualTo("Dataset not found");
        Http.Response unknownModel = evaluate(UUID.randomUUID().toString(), otherFeatures);
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.json().get("title").asString()).isEqualTo("Model not found");
        Http.Response unknownReport = http.get(path + "/" + UUID.randomUUID());
        assertThat(unknownReport.status()).isEqualTo(404);
        assertThat(unknownReport.json().get("title").asString()).isEqualTo("Evaluation not found");
        assertThat(http.get(path + "/" + UUID.randomUUID() + "/roc").status()).isEqualTo(404);
        assertThat(http.get(path + "/not-a-uuid").status()).isEqualTo(400);
        assertThat(http.get(MODELS + "/" + UUID.randomUUID() + "/evaluations").status()).isEqualTo(404);
        JsonNode empty = http.get(path).json();
        assertThat(empty.get("items").size()).as("nothing was stored").isZero();
    }

    @Test
    void aModelWithSeveralSigmoidOutputsHasNoReportYet() {
        String data = """
                {"name": "two labels", "source": {"type": "inline", "features": [[0, 0], [0, 1], [1, 0], [1, 1]],
                 "labels": [[0, 1], [1, 0], [1, 0], [0, 1]]}}""";
        String model = train(data, """
                {"datasetId": "%s", "model": {"type": "linear", "output": "sigmoid"}, "loss": "binary_crossentropy",
                 "epochs": 1, "batchSize": 4, "seed": 1}""");
        Http.Response r = evaluate(model, dataset(data));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("detail").asString()).contains("multi-label");
    }

    /** As the training runner will: the model and its validation report in one transaction, both or neither. */
    @Test
    void aValidationReportIsStoredInTheTransactionThatStoresItsModel() {
        String trained = train("""
                {"name": "rings", "seed": 5, "source": {"type": "rings", "positives": 50, "negatives": 50,
                 "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""", """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4], "activation": "relu",
                 "output": "sigmoid"}, "loss": "binary_crossentropy", "epochs": 1, "batchSize": 50, "seed": 2}""");
        String document = http.get(MODELS + "/" + trained + "/export").body();
        EvaluationBody body = Evaluation.report(EvaluationKind.forOutput("sigmoid", 1), "binary_crossentropy",
                new float[] {0, 1, 1}, new float[] {0.25f, 0.75f, 0.5f}, 3, 1, 1, List.of("0", "1"));
        for (boolean commit : new boolean[] {false, true}) {
            UUID model = UUID.randomUUID();
            UUID report = UUID.randomUUID();
            transactions.executeWithoutResult(status -> {
                models.insert(new StoredModel(model, null, null, "classifier", "IMPORTED", null, document));
                evaluations.insert(report, model, null, EvaluationRepository.VALIDATION, body);
                if (!commit) {
                    status.setRollbackOnly();
                }
            });
            Http.Response read = http.get(MODELS + "/" + model + "/evaluations/" + report);
            if (!commit) {
                assertThat(read.status()).as("rolled back with its model").isEqualTo(404);
                assertThat(evaluations.count(model)).isZero();
                continue;
            }
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().get("source").asString()).isEqualTo("validation");
            assertThat(read.json().has("datasetId")).isFalse();
            assertThat(read.json().get("metrics").get("accuracy").asDouble()).isEqualTo(2.0 / 3);
            assertThat(read.json().get("confusionMatrix").get("matrix").toString()).isEqualTo("[[1,0],[1,1]]");
        }
    }

    @Test
    void openApiDocumentsTheEvaluationEndpointsWithProblemResponses() {
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        JsonNode post = paths.get(MODELS + "/{id}/evaluations").get("post");
        assertThat(post.get("requestBody").get("content").get("application/json").has("example")).isTrue();
        assertThat(post.get("responses").get("201").get("content").get("application/json").has("example"))
                .isTrue();
        assertThat(post.get("responses").get("400").get("content").has("application/problem+json")).isTrue();
        assertThat(post.get("responses").has("404")).isTrue();
        assertThat(paths.get(MODELS + "/{id}/evaluations").has("get")).isTrue();
        for (String path : List.of("", "/confusion-matrix", "/roc")) {
            JsonNode get = paths.get(MODELS + "/{id}/evaluations/{evaluationId}" + path).get("get");
            assertThat(get.get("summary").asString()).as(path).isNotBlank();
            assertThat(get.get("responses").has("404")).as(path).isTrue();
        }
    }

    Http.Response evaluate(String model, String datasetId) {
        return http.postJson(MODELS + "/" + model + "/evaluations", "{\"datasetId\": \"" + datasetId + "\"}");
    }

    String dataset(String body) {
        Http.Response d = http.postJson("/api/v1/datasets", body);
        assertThat(d.status()).as(d.toString()).isEqualTo(201);
        return d.json().get("id").asString();
    }

    /** Trains a model through the API, as ModelsApiTests does, and returns its id. */
    String train(String dataset, String job) {
        Http.Response j = http.postJson("/api/v1/training-jobs", job.formatted(dataset(dataset)));
        assertThat(j.status()).as(j.toString()).isEqualTo(202);
        String id = j.json().get("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode status = j.json();
        while (!status.get("state").asString().equals("SUCCEEDED")) {
            assertThat(status.get("state").asString()).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job finished in time").isLessThan(deadline);
            ModelsApiTests.sleep();
            status = http.get("/api/v1/training-jobs/" + id).json();
        }
        return status.get("modelId").asString();
    }

    static Document svg(Http.Response r) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("image/svg+xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        return doc;
    }
}
