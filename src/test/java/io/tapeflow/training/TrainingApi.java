package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.tapeflow.support.Http;
import tools.jackson.databind.JsonNode;

/** The training and models API as a test drives it: real HTTP, the requests a user would send. */
final class TrainingApi {

    static final String JOBS = "/api/v1/training-jobs";
    static final String MODELS = "/api/v1/models";

    static final String LINEAR_DATA = """
            {"name": "reference linear regression", "seed": 42,
             "source": {"type": "linear", "samples": 400, "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0,
                        "low": -10, "high": 10}}""";

    static final String RINGS_DATA = """
            {"name": "reference rings", "seed": %d,
             "source": {"type": "rings", "positives": %d, "negatives": %d, "innerRadius": 5.0, "outerRadius": 8.0,
                        "noise": 1.0}}""";

    /** The reference's linear regression: y = x·w + b, w ~ N(0, 1), b = 0, SGD 0.001, batch 10. */
    static final String LINEAR_JOB = """
            {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
             "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": %d, "batchSize": 10, "seed": %d,
             "execution": "eager"}""";

    /** The reference's rings classifier 2-4-8-1 with the given optimizer. */
    static final String RINGS_JOB = """
            {"datasetId": "%s",
             "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu", "output": "sigmoid",
                       "initializer": "truncated_normal"},
             "loss": "binary_crossentropy", "optimizer": {"type": "%s", "learningRate": %s},
             "epochs": %d, "batchSize": 100, "shuffle": true, "seed": %d, "execution": "graph"}""";

    final Http http;

    TrainingApi(int port) {
        this.http = new Http(port);
    }

    String dataset(String json) {
        Http.Response r = http.postJson("/api/v1/datasets", json);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    String linearDataset() {
        return dataset(LINEAR_DATA);
    }

    String ringsDataset(long seed, int perClass) {
        return dataset(RINGS_DATA.formatted(seed, perClass, perClass));
    }

    Http.Response post(String json) {
        return http.postJson(JOBS, json);
    }

    Http.Response post(String json, String idempotencyKey) {
        return http.send("POST", JOBS, Map.of("Content-Type", "application/json", "Idempotency-Key",
                idempotencyKey), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Submits a job that must be accepted; returns its id. */
    String submit(String json) {
        Http.Response r = post(json);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    JsonNode job(String id) {
        Http.Response r = http.get(JOBS + "/" + id);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Polls the job until it reaches one of {@code states}; fails with the job's last view otherwise. */
    JsonNode await(String id, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!wanted.contains(job.get("state").asString())) {
            if (System.nanoTime() > deadline) {
                fail("Job " + id + " did not reach " + wanted + " in " + timeout + ": " + job);
            }
            sleep(50);
            job = job(id);
        }
        return job;
    }

    JsonNode awaitSucceeded(String id) {
        return await(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "CANCELLED");
    }

    JsonNode model(String id) {
        Http.Response r = http.get(MODELS + "/" + id);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode metrics(String jobId) {
        Http.Response r = http.get(JOBS + "/" + jobId + "/metrics");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    Http.Response predict(String modelId, String body) {
        return http.postJson(MODELS + "/" + modelId + "/predictions", body);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
