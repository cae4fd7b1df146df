package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Models over real HTTP: reading, predicting in both formats, explaining, plotting, export and import. */
abstract class ModelsApiTests {

    static final String MODELS = "/api/v1/models";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Trains a small rings classifier (2-4-8-1, Adam) and returns its model id. */
    String classifier() {
        return train("""
                {"name": "rings", "seed": 17, "source": {"type": "rings", "positives": 300, "negatives": 300,
                 "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""", """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu",
                 "output": "sigmoid", "initializer": "truncated_normal"}, "loss": "binary_crossentropy",
                 "optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": 20, "batchSize": 50, "seed": 2}""");
    }

    String regressor() {
        return train("""
                {"name": "linear", "seed": 42, "source": {"type": "linear", "samples": 200, "weights": [2.0, -3.0],
                 "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}""", """
                {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
                 "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 20, "batchSize": 10, "seed": 1}""");
    }

    String train(String dataset, String job) {
        Http.Response d = http.postJson("/api/v1/datasets", dataset);
        assertThat(d.status()).as(d.toString()).isEqualTo(201);
        Http.Response j = http.postJson("/api/v1/training-jobs", job.formatted(d.json().get("id").asString()));
        assertThat(j.status()).as(j.toString()).isEqualTo(202);
        String id = j.json().get("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode status = j.json();
        while (!status.get("state").asString().equals("SUCCEEDED")) {
            assertThat(status.get("state").asString()).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job finished in time").isLessThan(deadline);
            sleep();
            status = http.get("/api/v1/training-jobs/" + id).json();
        }
        return status.get("modelId").asString();
    }

    Http.Response predict(String model, String body) {
        return http.postJson(MODELS + "/" + model + "/predictions", body);
    }

    @Test
    void aModelShowsItsArchitectureSignatureNamedParametersAndOrigin() {
        String id = classifier();
        JsonNode model = http.get(MODELS + "/" + id).json();
        assertThat(model.get("kind").asString()).isEqualTo("classifier");
        assertThat(model.get("origin").asString()).isEqualTo("TRAINED");
        assertThat(model.get("jobId").isNull()).isFalse();
        assertThat(model.get("datasetId").isNull()).isFalse();
        assertThat(model.get("architecture").get("hiddenLayers").toString()).isEqualTo("[4,8]");
        assertThat(model.get("signature").get("inputs").asInt()).isEqualTo(2);
        assertThat(model.get("signature").get("featureNames").toString()).isEqualTo("[\"x1\",\"x2\"]");
        JsonNode parameters = model.get("parameters");
        assertThat(parameters.propertyNames()).containsExactlyInAnyOrder("dense_1/kernel", "dense_1/bias",
                "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias", "standardize/mean",
                "standardize/std");
        assertThat(parameters.get("standardize/std").get("shape").toString()).isEqualTo("[2]");
        assertThat(model.get("architecture").get("standardized").asBoolean()).isTrue();
        assertThat(parameters.get("dense_1/kernel").get("shape").toString()).isEqualTo("[2,4]");
        assertThat(parameters.get("dense_1/kernel").get("values").size()).isEqualTo(2);
        assertThat(parameters.get("dense_1/kernel").get("values").get(0).size()).isEqualTo(4);
        assertThat(model.get("training").get("metrics").get("accuracy").isNumber()).isTrue();

        JsonNode page = http.get(MODELS + "?size=100").json();
        assertThat(page.get("items").findValuesAsString("id")).contains(id);
        assertThat(page.get("items").get(0).has("parameters")).as("lists leave parameters out").isFalse();
        assertThat(http.get(MODELS + "/" + UUID.randomUUID()).status()).isEqualTo(404);
        Http.Response badSize = http.get(MODELS + "?size=101");
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.json().get("errors").findValuesAsString("field")).contains("size");
    }

    @Test
    void predictionsInRowAndColumnFormatsWithClassesAndInputGradients() {
        String id = classifier();
        Http.Response rows = predict(id, "{\"instances\": [[0.5, -0.5], [7.5, 1.0]]}");
        assertThat(rows.status()).as(rows.toString()).isEqualTo(200);
        JsonNode p = rows.json().get("predictions");
        assertThat(p.size()).isEqualTo(2);
        assertThat(rows.json().get("classes").get(0).get(0).asInt())
                .isEqualTo(p.get(0).get(0).floatValue() >= 0.5f ? 1 : 0);

        Http.Response named = predict(id, "{\"instances\": [{\"x1\": 0.5, \"x2\": -0.5}]}");
        assertThat(named.json().get("predictions").get(0).get(0).floatValue()).isEqualTo(p.get(0).get(0).floatValue());
        Http.Response columns = predict(id, "{\"inputs\": {\"x1\": [0.5, 7.5], \"x2\": [-0.5, 1.0]}}");
        assertThat(columns.status()).as(columns.toString()).isEqualTo(200);
        assertThat(columns.json().get("outputs").toString()).isEqualTo(p.toString());
        assertThat(columns.json().has("classes")).isTrue();
        assertThat(predict(id, "{\"inputs\": [[0.5, -0.5], [7.5, 1.0]]}").json().get("outputs").toString())
                .isEqualTo(p.toString());

        Http.Response explained = http.postJson(MODELS + "/" + id + "/predictions?explain=true",
                "{\"instances\": [[3.0, 4.0]]}");
        JsonNode gradient = explained.json().get("inputGradients").get(0).get(0);
        assertThat(gradient.size()).isEqualTo(2);
        // the tape's gradient agrees with a central difference of the served predictions
        float h = 1e-2f;
        for (int i = 0; i < 2; i++) {
            float[] plus = {3.0f, 4.0f};
            float[] minus = {3.0f, 4.0f};
            plus[i] += h;
            minus[i] -= h;
            double fd = (value(id, plus) - value(id, minus)) / (2.0 * h);
            assertThat(gradient.get(i).asDouble()).isCloseTo(fd, within(2e-3 + 0.05 * Math.abs(fd)));
        }
    }

    double value(String id, float[] x) {
        return predict(id, "{\"instances\": [[" + x[0] + ", " + x[1] + "]]}").json().get("predictions").get(0).get(0)
                .asDouble();
    }

    @Test
    void badPredictionInputIs400NamingTheInstance() {
        String id = regressor();
        StringBuilder tooMany = new StringBuilder("{\"instances\": [");
        for (int i = 0; i <= 10_000; i++) {
            tooMany.append(i == 0 ? "" : ",").append("[1,2]");
        }
        record Case(String body, String field) {
        }
        List<Case> cases = List.of(
                new Case("{\"instances\": [[1, 2], [1, 2, 3]]}", "instances[1]"),
                new Case("{\"instances\": [[1, 2], [1]]}", "instances[1]"),
                new Case("{\"instances\": [[1, 1e999]]}", "instances[0][1]"),
                new Case("{\"instances\": [[1, 1e39]]}", "instances[0][1]"),
                new Case("{\"instances\": [[1, null]]}", "instances[0][1]"),
                new Case("{\"instances\": [[1, \"two\"]]}", "instances[0][1]"),
                new Case("{\"instances\": []}", "instances"),
                new Case("{\"instances\": [{\"x1\": 1}]}", "instances[0].x2"),
                new Case("{\"instances\": [{\"x1\": 1, \"x2\": 2, \"x3\": 3}]}", "instances[0]"),
                new Case("{\"inputs\": {\"x1\": [1, 2], \"x2\": [1]}}", "inputs.x2"),
                new Case("{\"instances\": [[1, 2]], \"inputs\": [[1, 2]]}", "inputs"),
                new Case("{}", "instances"),
                new Case(tooMany.append("]}").toString(), "instances"));
        for (Case c : cases) {
            Http.Response r = predict(id, c.body());
            String shown = c.body().length() > 80 ? c.body().substring(0, 80) : c.body();
            assertThat(r.status()).as(shown + " → " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("errors").findValuesAsString("field")).as(shown + " → " + r)
                    .contains(c.field());
        }
        assertThat(predict(id, "not json").status()).isEqualTo(400);
        assertThat(predict(UUID.randomUUID().toString(), "{\"instances\": [[1, 2]]}").status()).isEqualTo(404);
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void exportThenImportGivesIdenticalParametersAndPredictions() {
        for (String id : List.of(classifier(), regressor())) {
            Http.Response exported = http.get(MODELS + "/" + id + "/export");
            assertThat(exported.status()).isEqualTo(200);
            assertThat(exported.json().get("format").asString()).isEqualTo("tapeflow-model");
            Http.Response imported = http.postJson(MODELS + "/import", exported.body());
            assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
            String copy = imported.json().get("id").asString();
            assertThat(imported.header("Location")).isEqualTo(http.baseUrl() + MODELS + "/" + copy);
            assertThat(imported.json().get("origin").asString()).isEqualTo("IMPORTED");
            assertThat(imported.json().get("jobId").isNull()).isTrue();
            assertThat(http.get(MODELS + "/" + copy + "/export").body()).isEqualTo(exported.body());
            String instances = "{\"instances\": [[0.1, 0.2], [-9.75, 3.5], [6.0, -6.0], [1e-3, 42.0]]}";
            assertThat(predict(copy, instances).body()).isEqualTo(predict(id, instances).body());
        }
    }

    @Test
    void anImportThatDoesNotDescribeAModelIs400() {
        String exported = http.get(MODELS + "/" + regressor() + "/export").body();
        record Case(String body, String field) {
        }
        List<Case> cases = List.of(
                new Case(exported.replace("\"tapeflow-model\"", "\"keras\""), "format"),
                new Case(exported.replace("\"shape\":[2,1]", "\"shape\":[3,1]"), "parameters.dense_1/kernel.shape"),
                new Case(exported.replace("dense_1/bias", "dense_9/bias"), "parameters"),
                new Case(exported.replace("\"inputs\":2,\"hiddenLayers\"", "\"inputs\":0,\"hiddenLayers\""),
                        "architecture.inputs"),
                new Case(exported.replace("\"kind\":\"regressor\"", "\"kind\":\"classifier\""), "signature.kind"),
                new Case("{}", "format"));
        for (Case c : cases) {
            assertThat(c.body()).isNotEqualTo(exported);
            Http.Response r = http.postJson(MODELS + "/import", c.body());
            assertThat(r.status()).as(c.field() + " → " + r).isEqualTo(400);
            assertThat(r.json().get("errors").findValuesAsString("field")).as(r.toString()).contains(c.field());
        }
        assertThat(http.postJson(MODELS + "/import", "[1, 2").status()).isEqualTo(400);
    }

    @Test
    void plotsAreSvgOfTheDecisionRegionsOrTheFittedLines() throws Exception {
        for (String id : List.of(classifier(), regressor())) {
            Http.Response plot = http.get(MODELS + "/" + id + "/plot");
            assertThat(plot.status()).isEqualTo(200);
            assertThat(plot.contentType()).startsWith("image/svg+xml");
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(plot.body().getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(doc.getElementsByTagName("circle").getLength()).as("the data points").isPositive();
            assertThat(doc.getElementsByTagName("line").getLength()).as("ticks on both axes").isGreaterThan(6);
            assertThat(plot.body().length()).as("a compact SVG").isLessThan(200_000);
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "plots"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "plots", id + ".svg"), plot.body());
        }
        String regions = http.get(MODELS + "/" + classifier() + "/plot").body();
        assertThat(regions).contains("decision regions").contains(">0</text>").contains(">1</text>");
        assertThat(http.get(MODELS + "/" + UUID.randomUUID() + "/plot").status()).isEqualTo(404);
    }

    static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
