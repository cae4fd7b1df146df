package io.tapeflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The API with keys configured ({@link #KEY}'s hash): without a key or with a wrong one every {@code /api} endpoint
 * answers 401 with a problem body and stores nothing; the right key, in either header, works; probes stay open.
 */
abstract class ApiKeyApiTests {

    static final String KEY = "s3cret";
    /** printf %s s3cret | sha256sum */
    static final String KEY_HASH = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";
    static final String PROPERTY = "tapeflow.security.api-key-hashes=" + KEY_HASH;

    private static final String DATASET = """
            {"name": "keyed", "seed": 1, "source": {"type": "linear", "samples": 20, "weights": [1.0]}}""";
    private static final String ANY = UUID.randomUUID().toString();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    record Call(String method, String path, String contentType, String body) {
    }

    /** Every endpoint of the API, plus one that does not exist (its 404 would tell a stranger what exists). */
    static List<Call> everyApiCall() {
        return List.of(
                new Call("GET", "/api/v1/datasets", null, null),
                new Call("POST", "/api/v1/datasets", "application/json", DATASET),
                new Call("POST", "/api/v1/datasets?name=c&labels=y", "text/csv", "x,y\n1,2\n"),
                new Call("GET", "/api/v1/datasets/" + ANY, null, null),
                new Call("GET", "/api/v1/datasets/" + ANY + "/rows", null, null),
                new Call("GET", "/api/v1/datasets/" + ANY + "/plot", null, null),
                new Call("DELETE", "/api/v1/datasets/" + ANY, null, null),
                new Call("POST", "/api/v1/training-jobs", "application/json", "{}"),
                new Call("POST", "/api/v1/training-jobs?dryRun=true", "application/json", "{}"),
                new Call("GET", "/api/v1/training-jobs/options", null, null),
                new Call("GET", "/api/v1/training-jobs", null, null),
                new Call("GET", "/api/v1/training-jobs/" + ANY, null, null),
                new Call("GET", "/api/v1/training-jobs/" + ANY + "/metrics", null, null),
                new Call("GET", "/api/v1/training-jobs/" + ANY + "/events", null, null),
                new Call("POST", "/api/v1/training-jobs/" + ANY + "/cancel", null, null),
                new Call("POST", "/api/v1/training-jobs/" + ANY + "/stop", null, null),
                new Call("DELETE", "/api/v1/training-jobs/" + ANY, null, null),
                new Call("DELETE", "/api/v1/models/" + ANY, null, null),
                new Call("GET", "/api/v1/models", null, null),
                new Call("GET", "/api/v1/models/" + ANY, null, null),
                new Call("POST", "/api/v1/models/" + ANY + "/predictions", "application/json",
                        "{\"instances\": [[1]]}"),
                new Call("GET", "/api/v1/models/" + ANY + "/plot", null, null),
                new Call("GET", "/api/v1/models/" + ANY + "/export", null, null),
                new Call("POST", "/api/v1/models/import", "application/json", "{}"),
                new Call("GET", "/api/v1/no-such-thing", null, null),
                new Call("GET", "/actuator/prometheus", null, null),
                new Call("GET", "/actuator/metrics", null, null));
    }

    @Test
    void withoutAKeyOrWithAWrongOneEveryApiEndpointIs401AndStoresNothing() {
        long datasets = count("datasets");
        long jobs = count("training_jobs");
        long models = count("models");
        List<Map<String, String>> wrongKeys = List.of(Map.of(), Map.of("X-API-Key", "wrong"),
                Map.of("X-API-Key", ""), Map.of("Authorization", "Bearer wrong"), Map.of("Authorization", "Bearer "),
                Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("user:" + KEY).getBytes(StandardCharsets.UTF_8))),
                Map.of("X-API-Key", KEY_HASH), Map.of("X-API-Key", KEY.toUpperCase()));
        for (Call call : everyApiCall()) {
            for (Map<String, String> key : wrongKeys) {
                Http.Response r = send(call, key);
                assertThat(r.status()).as(call + " with " + key + " → " + r).isEqualTo(401);
                assertThat(r.contentType()).startsWith("application/problem+json");
                JsonNode problem = r.json();
                assertThat(problem.get("status").asInt()).isEqualTo(401);
                assertThat(problem.get("type").asString()).isEqualTo("https://tapeflow.io/problems/401");
                assertThat(problem.get("detail").asString()).isNotBlank();
                assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            }
        }
        assertThat(count("datasets")).isEqualTo(datasets);
        assertThat(count("training_jobs")).isEqualTo(jobs);
        assertThat(count("models")).isEqualTo(models);
    }

    @Test
    void theRightKeyInEitherHeaderReachesEveryEndpoint() {
        for (Call call : everyApiCall()) {
            for (Map<String, String> key : List.of(Map.of("X-API-Key", KEY), Map.of("Authorization", "Bearer " + KEY),
                    Map.of("Authorization", "bearer  " + KEY))) {
                Http.Response r = send(call, key);
                assertThat(r.status()).as(call + " with " + key + " → " + r).isNotIn(401, 403, 500);
            }
        }
        Http.Response created = send(new Call("POST", "/api/v1/datasets", "application/json", DATASET),
                Map.of("X-API-Key", KEY));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(send(new Call("GET", "/api/v1/datasets/" + id, null, null), Map.of("Authorization",
                "Bearer " + KEY)).status()).isEqualTo(200);
    }

    @Test
    void healthProbesAndTheApiDescriptionStayOpen() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/v3/api-docs", "/swagger-ui/index.html")) {
            Http.Response r = http.send("GET", path, Map.of("X-API-Key", "wrong"), null);
            assertThat(r.status()).as(path + " → " + r).isEqualTo(200);
            assertThat(http.get(path).status()).as(path).isEqualTo(200);
        }
        JsonNode docs = http.get("/v3/api-docs").json();
        assertThat(docs.get("components").get("securitySchemes").get("apiKey").get("name").asString())
                .isEqualTo("X-API-Key");
        assertThat(docs.get("paths").get("/api/v1/datasets").get("get").get("responses").has("401")).isTrue();
    }

    /** Issue #14: the data directory, disk sizes, database and worker counts are for key holders only. */
    @Test
    void healthDetailsOnlyForACallerWithAKey() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-API-Key", "wrong"))) {
                Http.Response r = http.send("GET", path, headers, null);
                assertThat(r.status()).as(path + " → " + r).isEqualTo(200);
                assertThat(r.json().get("status").asString()).as(path).isEqualTo("UP");
                assertThat(r.json().has("components")).as(path + " → " + r).isFalse();
                assertThat(r.json().has("details")).as(path + " → " + r).isFalse();
                assertThat(r.body()).as(path).doesNotContain("diskSpace", "H2", "PostgreSQL", "workers");
            }
        }
        Http.Response keyed = http.send("GET", "/actuator/health", Map.of("X-API-Key", KEY), null);
        assertThat(keyed.status()).as(keyed.toString()).isEqualTo(200);
        assertThat(keyed.json().get("components").has("db")).as(keyed.toString()).isTrue();
        assertThat(keyed.json().get("components").has("diskSpace")).as(keyed.toString()).isTrue();
        Http.Response readiness = http.send("GET", "/actuator/health/readiness",
                Map.of("Authorization", "Bearer " + KEY), null);
        assertThat(readiness.json().get("components").has("trainingWorkers")).as(readiness.toString()).isTrue();
    }

    private Http.Response send(Call call, Map<String, String> key) {
        Map<String, String> headers = new java.util.HashMap<>(key);
        if (call.contentType() != null) {
            headers.put("Content-Type", call.contentType());
        }
        return http.send(call.method(), call.path(), headers,
                call.body() == null ? null : call.body().getBytes(StandardCharsets.UTF_8));
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
