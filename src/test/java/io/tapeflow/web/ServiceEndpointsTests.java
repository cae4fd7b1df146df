package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Health probes, metrics, the OpenAPI document and Swagger UI, and errors outside any controller. */
abstract class ServiceEndpointsTests {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void healthIncludesTheDatabaseAndTheProbesAnswer() {
        JsonNode health = http.get("/actuator/health").json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
        JsonNode readiness = http.get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").has("db")).isTrue();
    }

    /** What the start-up log line says, for a caller: kernels, JIT and the matmul's blocks for this CPU's caches. */
    @Test
    void infoSaysWhichKernelsJitAndBlocksRun() {
        JsonNode runtime = http.get("/actuator/info").json().get("runtime");
        assertThat(runtime.get("kernels").asString()).isEqualTo("vector");
        assertThat(runtime.get("c2").asBoolean()).isTrue();
        assertThat(runtime.get("fullSpeed").asBoolean()).isTrue();
        assertThat(runtime.get("matmulBlocking").asString()).matches("(5×16|12×32) tile; kc \\d+, mc \\d+, nc \\d+ \\(.*L1d.*\\)");
    }

    @Test
    void prometheusExposesMetrics() {
        http.get("/api/v1/datasets");
        Http.Response metrics = http.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "http_server_requests_seconds_count");
    }

    @Test
    void openApiDocumentsEveryDatasetsEndpointWithProblemResponses() {
        Http.Response docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.has("/api/v1/datasets")).isTrue();
        assertThat(paths.has("/api/v1/datasets/{id}")).isTrue();
        assertThat(paths.has("/api/v1/datasets/{id}/rows")).isTrue();
        assertThat(paths.has("/api/v1/datasets/{id}/plot")).isTrue();
        assertThat(paths.has("/error")).isFalse();
        JsonNode post = paths.get("/api/v1/datasets").get("post");
        assertThat(post.get("requestBody").get("content").has("application/json")).isTrue();
        assertThat(post.get("requestBody").get("content").has("text/csv")).isTrue();
        assertThat(post.get("responses").get("400").get("content").has("application/problem+json")).isTrue();
        assertThat(paths.get("/api/v1/datasets/{id}").get("get").get("responses").has("404")).isTrue();
        assertThat(docs.json().get("components").get("schemas").has("LinearSource")).isTrue();
    }

    /**
     * Swagger UI's error examples are what each endpoint answers: every 404 example is sent as shown (the path with
     * the example id) and every unknown-parameter 400 with {@code ?colour=red}, and the answers must match.
     */
    @Test
    void everyErrorExampleIsWhatItsEndpointAnswers() {
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode responses = operation.getValue().get("responses");
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                for (String status : new String[] {"404", "400"}) {
                    JsonNode example = responses.path(status).path("content").path("application/problem+json")
                            .path("example");
                    if (example.isMissingNode() || (status.equals("400")
                            && !example.path("errors").path(0).path("field").asString("").equals("colour"))) {
                        continue;
                    }
                    String url = example.get("instance").asString() + (status.equals("400") ? "?colour=red" : "");
                    if (status.equals("404") && !method.equals("GET") && !method.equals("DELETE")) {
                        continue; // a POST's body is read (and refused) before its id is looked up
                    }
                    Http.Response answer = http.send(method, url, Map.of("Accept", "*/*"), null);
                    String where = method + " " + url + ": " + answer;
                    assertThat(answer.status()).as(where).isEqualTo(Integer.parseInt(status));
                    JsonNode body = answer.json();
                    assertThat(body.get("title").asString()).as(where).isEqualTo(example.get("title").asString());
                    assertThat(body.get("detail").asString()).as(where).isEqualTo(example.get("detail").asString());
                    assertThat(body.get("instance").asString()).as(where)
                            .isEqualTo(example.get("instance").asString());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    /**
     * "Try it out" on a fresh start: the training job examples name the reference datasets the service provides
     * (the README's rows, under fixed ids), and each one is accepted and trains.
     */
    @Test
    void everyTrainingJobExampleTrainsOnAProvidedDataset() {
        JsonNode rows = http.get("/api/v1/datasets/00000000-0000-4000-8000-000000000001/rows?offset=0&limit=1")
                .json();
        assertThat(rows.get("total").asInt()).isEqualTo(400);
        assertThat(rows.get("rows").get(0).get("features").toString()).isEqualTo("[4.831297,-6.801792]");
        assertThat(http.get("/api/v1/datasets/00000000-0000-4000-8000-000000000002").json().get("name").asString())
                .isEqualTo("reference rings");
        JsonNode examples = http.get("/v3/api-docs").json().get("paths").get("/api/v1/training-jobs").get("post")
                .get("requestBody").get("content").get("application/json").get("examples");
        int sent = 0;
        for (Map.Entry<String, JsonNode> example : examples.properties()) {
            Http.Response accepted = http.postJson("/api/v1/training-jobs", example.getValue().get("value").toString());
            assertThat(accepted.status()).as(example.getKey() + ": " + accepted).isEqualTo(202);
            String id = accepted.json().get("id").asString();
            JsonNode job = http.get("/api/v1/training-jobs/" + id + "?waitSeconds=60").json();
            assertThat(job.get("state").asString()).as(example.getKey() + ": " + job).isEqualTo("SUCCEEDED");
            sent++;
        }
        assertThat(sent).isEqualTo(2);
    }

    /** The examples people paste from Swagger UI must work: each one is sent and must create a dataset. */
    @Test
    void everyRequestExampleInTheOpenApiDocumentWorks() {
        JsonNode post = http.get("/v3/api-docs").json().get("paths").get("/api/v1/datasets").get("post");
        JsonNode content = post.get("requestBody").get("content");
        int sent = 0;
        for (java.util.Map.Entry<String, JsonNode> example : content.get("application/json").get("examples")
                .properties()) {
            Http.Response response = http.postJson("/api/v1/datasets", example.getValue().get("value").toString());
            assertThat(response.status()).as(example.getKey() + ": " + response).isEqualTo(201);
            sent++;
        }
        String csv = content.get("text/csv").get("examples").get("csv").get("value").asString();
        Http.Response response = http.post("/api/v1/datasets?name=example&labels=y", "text/csv",
                csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(sent).isEqualTo(3);
    }

    @Test
    void swaggerUiAnswers() {
        Http.Response redirect = http.get("/swagger-ui.html");
        assertThat(redirect.status()).isIn(200, 302);
        Http.Response ui = http.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }

    @Test
    void errorsOutsideControllersAreProblemJsonToo() {
        Http.Response response = http.send("GET", "/error", Map.of("Accept", "text/html"), (byte[]) null);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
    }
}
