package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue #12 over real HTTP: names, tags and list filters; unknown query parameters; deleting jobs, models and
 * datasets under one rule; stop-and-keep; starting a job from a trained model.
 */
abstract class JobLifecycleApiTests {

    /** A plain SGD linear fit without shuffling: stateless optimizer, so epochs can be split across jobs exactly. */
    static final String SPLITTABLE_JOB = """
            {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
             "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": %d, "batchSize": 10, "seed": 3,
             "shuffle": false, "execution": "eager"%s}""";

    @LocalServerPort
    int port;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    static String named(String name, String tags) {
        return ", \"name\": \"" + name + "\", \"tags\": " + tags;
    }

    @Test
    void jobsAndTheirModelsHaveNamesAndTagsAndListsFilterByThemByDatasetAndByState() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String d1 = api.linearDataset();
        String d2 = api.linearDataset();
        String a = api.submit(SPLITTABLE_JOB.formatted(d1, 2, named("lin-" + run + "-a", "[\"t" + run + "\", \"x\"]")));
        String b = api.submit(SPLITTABLE_JOB.formatted(d2, 2, named("lin-" + run + "-b", "[\"t" + run + "\"]")));
        String c = api.submit(SPLITTABLE_JOB.formatted(d2, 2, named("other-" + run, "[]")));
        JsonNode jobA = api.awaitSucceeded(a);
        api.awaitSucceeded(b);
        api.awaitSucceeded(c);
        assertThat(jobA.get("name").asString()).isEqualTo("lin-" + run + "-a");
        assertThat(jobA.get("tags").size()).isEqualTo(2);
        assertThat(jobA.get("tags").get(0).asString()).isEqualTo("t" + run);
        JsonNode model = api.model(jobA.get("modelId").asString());
        assertThat(model.get("name").asString()).as("the model inherits the name").isEqualTo("lin-" + run + "-a");
        assertThat(model.get("tags").get(1).asString()).isEqualTo("x");

        assertThat(jobIds("?name=lin-" + run + "-a")).containsExactly(a);
        assertThat(jobIds("?name=lin-" + run + "*")).containsExactlyInAnyOrder(a, b);
        assertThat(jobIds("?name=lin-" + run)).as("without * the name is exact").isEmpty();
        assertThat(jobIds("?tag=t" + run)).containsExactlyInAnyOrder(a, b);
        assertThat(jobIds("?tag=t" + run + "&datasetId=" + d2)).containsExactly(b);
        assertThat(jobIds("?datasetId=" + d2 + "&state=SUCCEEDED")).containsExactlyInAnyOrder(b, c);
        assertThat(jobIds("?datasetId=" + d2 + "&state=RUNNING")).isEmpty();
        Http.Response page = api.http.get(TrainingApi.JOBS + "?tag=t" + run + "&size=1");
        assertThat(page.json().get("total").asLong()).isEqualTo(2);

        assertThat(modelIds("?tag=t" + run)).hasSize(2);
        assertThat(modelIds("?name=lin-" + run + "*&datasetId=" + d1))
                .containsExactly(jobA.get("modelId").asString());
        assertThat(modelIds("?tag=x%25")).as("LIKE wildcards are literal").isEmpty();
    }

    @Test
    void badNamesTagsAndUnknownQueryParametersAre400NamingThem() {
        String dataset = api.linearDataset();
        Http.Response control = api.post(SPLITTABLE_JOB.formatted(dataset, 1, ", \"name\": \"a\\u0007b\""));
        assertProblem(control, 400, "name");
        Http.Response tooLong = api.post(SPLITTABLE_JOB.formatted(dataset, 1, ", \"name\": \"" + "n".repeat(201) + "\""));
        assertProblem(tooLong, 400, "name");
        Http.Response badTag = api.post(SPLITTABLE_JOB.formatted(dataset, 1, ", \"tags\": [\"ok\", \"a\\\"b\"]"));
        assertProblem(badTag, 400, "tags[1]");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertProblem(api.post(SPLITTABLE_JOB.formatted(dataset, 1, ", \"tags\": " + many + "]")), 400, "tags");

        assertProblem(api.http.get(TrainingApi.JOBS + "?stat=RUNNING"), 400, "stat");
        assertProblem(api.http.get(TrainingApi.MODELS + "?dataset=" + dataset), 400, "dataset");
        assertProblem(api.http.get("/api/v1/datasets?sort=name"), 400, "sort");
        assertProblem(api.http.get("/api/v1/datasets/" + dataset + "?verbose=1"), 400, "verbose");
        assertProblem(api.http.get(TrainingApi.JOBS + "/" + UUID.randomUUID() + "?wait=5"), 400, "wait");
        assertProblem(api.http.get(TrainingApi.MODELS + "?datasetId=nope"), 400, "datasetId");
        assertThat(api.http.get(TrainingApi.JOBS + "?page=0&size=5&state=QUEUED").status()).isEqualTo(200);
    }

    @Test
    void deletingFinishedJobsModelsAndDatasetsAndWhatActiveJobsKeepFromDeletion() {
        String data = api.linearDataset();
        String finished = api.submit(SPLITTABLE_JOB.formatted(data, 2, ""));
        String modelId = api.awaitSucceeded(finished).get("modelId").asString();
        String rings = api.ringsDataset(5, 2000);
        String running = api.submit(TrainingApi.RINGS_JOB.formatted(rings, "sgd", "0.001",
                TrainingJobsApiTests.LONG_EPOCHS, 1));
        String fromModel = api.submit(SPLITTABLE_JOB.formatted(data, TrainingJobsApiTests.LONG_EPOCHS,
                ", \"initialModelId\": \"" + modelId + "\""));

        assertProblem(api.http.delete(TrainingApi.JOBS + "/" + running), 409, null);
        assertProblem(api.http.delete("/api/v1/datasets/" + rings), 409, null);
        assertProblem(api.http.delete(TrainingApi.MODELS + "/" + modelId), 409, null);

        assertThat(api.http.delete(TrainingApi.JOBS + "/" + finished).status()).isEqualTo(204);
        assertThat(api.http.get(TrainingApi.JOBS + "/" + finished).status()).isEqualTo(404);
        assertThat(api.http.get(TrainingApi.JOBS + "/" + finished + "/metrics").status()).isEqualTo(404);
        assertThat(api.model(modelId).get("jobId").isNull()).as("the model stays, without its job").isTrue();
        assertThat(api.http.delete(TrainingApi.JOBS + "/" + finished).status()).isEqualTo(404);

        api.http.postJson(TrainingApi.JOBS + "/" + running + "/cancel", "");
        api.http.postJson(TrainingApi.JOBS + "/" + fromModel + "/cancel", "");
        api.await(running, Duration.ofSeconds(30), "CANCELLED");
        api.await(fromModel, Duration.ofSeconds(30), "CANCELLED");
        assertThat(api.http.delete("/api/v1/datasets/" + rings).status()).isEqualTo(204);
        assertThat(api.http.delete(TrainingApi.JOBS + "/" + running).status()).isEqualTo(204);

        Http.Response report = api.http.postJson(TrainingApi.MODELS + "/" + modelId + "/evaluations",
                "{\"datasetId\": \"" + data + "\"}");
        assertThat(report.status()).as(report.toString()).isEqualTo(201);
        assertThat(api.predict(modelId, "{\"instances\": [[1, 2]]}").status()).isEqualTo(200);
        assertThat(api.http.delete("/api/v1/datasets/" + data).status())
                .as("a dataset only finished jobs and models were trained on goes").isEqualTo(204);
        assertThat(api.http.delete(TrainingApi.MODELS + "/" + modelId).status()).isEqualTo(204);
        assertThat(api.http.get(TrainingApi.MODELS + "/" + modelId).status()).isEqualTo(404);
        assertThat(api.predict(modelId, "{\"instances\": [[1, 2]]}").status()).as("evicted from the cache")
                .isEqualTo(404);
        assertThat(api.http.get(TrainingApi.MODELS + "/" + modelId + "/evaluations/" + report.json().get("id")
                .asString()).status()).isEqualTo(404);
        assertThat(api.http.delete(TrainingApi.MODELS + "/" + modelId).status()).isEqualTo(404);
    }

    @Test
    void stopEndsARunningJobAtAnEpochBoundaryWithItsModelAndAQueuedOneLikeCancel() {
        String rings = api.ringsDataset(5, 2000);
        String longJob = TrainingApi.RINGS_JOB.formatted(rings, "adam", "0.01", TrainingJobsApiTests.LONG_EPOCHS, 1);
        String first = api.submit(longJob);
        String second = api.submit(longJob);
        api.await(first, Duration.ofSeconds(30), "RUNNING");
        api.await(second, Duration.ofSeconds(30), "RUNNING");
        String queued = api.submit(longJob);
        Http.Response stopQueued = api.http.postJson(TrainingApi.JOBS + "/" + queued + "/stop", "");
        assertThat(stopQueued.status()).as(stopQueued.toString()).isEqualTo(200);
        assertThat(stopQueued.json().get("state").asString()).isEqualTo("CANCELLED");

        waitForEpoch(first, 2);
        Http.Response stop = api.http.postJson(TrainingApi.JOBS + "/" + first + "/stop", "");
        assertThat(stop.status()).as(stop.toString()).isEqualTo(202);
        assertThat(stop.json().get("stopRequestedAt").isNull()).isFalse();
        JsonNode stopped = api.await(first, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "CANCELLED");
        assertThat(stopped.get("state").asString()).as(stopped.toString()).isEqualTo("SUCCEEDED");
        assertThat(stopped.get("stoppedEarly").asBoolean()).isTrue();
        int epochs = stopped.get("progress").get("epoch").asInt();
        assertThat(epochs).isBetween(2, TrainingJobsApiTests.LONG_EPOCHS - 1);
        assertThat(api.metrics(first).get("epochs").size()).isEqualTo(epochs);
        JsonNode model = api.model(stopped.get("modelId").asString());
        assertThat(model.get("training").get("stoppedEarly").asBoolean()).isTrue();
        assertThat(model.get("training").get("stopped").asString()).isEqualTo("stop_request");
        assertThat(model.get("training").get("epochs").asInt()).isEqualTo(epochs);
        assertThat(model.get("training").get("metrics").get("loss").asDouble())
                .as("the model is the last boundary's: its metrics are that epoch's")
                .isEqualTo(api.metrics(first).get("epochs").get(epochs - 1).get("metrics").get("loss").asDouble());
        assertThat(api.predict(model.get("id").asString(), "{\"instances\": [[0, 5]]}").status()).isEqualTo(200);

        assertProblem(api.http.postJson(TrainingApi.JOBS + "/" + first + "/stop", ""), 409, null);
        Http.Response cancel = api.http.postJson(TrainingApi.JOBS + "/" + second + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(202);
        assertProblem(api.http.postJson(TrainingApi.JOBS + "/" + second + "/stop", ""), 409, null);
        JsonNode cancelled = api.await(second, Duration.ofSeconds(30), "CANCELLED");
        assertThat(cancelled.get("modelId").isNull()).as("cancel still discards").isTrue();
        assertThat(cancelled.get("stoppedEarly").asBoolean()).isFalse();
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + UUID.randomUUID() + "/stop", "").status())
                .isEqualTo(404);
    }

    @Test
    void aJobStartsFromATrainedModelAndSplitsAStatelessRunBitIdentically() {
        String data = api.linearDataset();
        JsonNode whole = api.awaitSucceeded(api.submit(SPLITTABLE_JOB.formatted(data, 10, "")));
        JsonNode head = api.awaitSucceeded(api.submit(SPLITTABLE_JOB.formatted(data, 4, "")));
        JsonNode tail = api.awaitSucceeded(api.submit(SPLITTABLE_JOB.formatted(data, 6,
                ", \"initialModelId\": \"" + head.get("modelId").asString() + "\"")));
        assertThat(tail.get("state").asString()).as(tail.toString()).isEqualTo("SUCCEEDED");
        assertThat(tail.get("initialModelId").asString()).isEqualTo(head.get("modelId").asString());
        assertThat(api.model(tail.get("modelId").asString()).get("parameters"))
                .as("4 + 6 epochs of stateless SGD without shuffling = 10 epochs, bit for bit")
                .isEqualTo(api.model(whole.get("modelId").asString()).get("parameters"));
        assertThat(api.model(tail.get("modelId").asString()).get("parameters"))
                .isNotEqualTo(api.model(head.get("modelId").asString()).get("parameters"));

        String rings = api.ringsDataset(5, 100);
        JsonNode classifier = api.awaitSucceeded(api.submit(TrainingApi.RINGS_JOB.formatted(rings, "adam", "0.01", 2,
                1)));
        Http.Response mismatch = api.post(SPLITTABLE_JOB.formatted(data, 2,
                ", \"initialModelId\": \"" + classifier.get("modelId").asString() + "\""));
        assertProblem(mismatch, 400, "initialModelId");
        assertThat(mismatch.json().get("errors").get(0).get("message").asString()).contains("layer widths", "output");
        Http.Response fineTune = api.post(TrainingApi.RINGS_JOB.formatted(rings, "sgd", "0.001", 2, 9)
                .replace("\"seed\": 9", "\"seed\": 9, \"initialModelId\": \""
                        + classifier.get("modelId").asString() + "\""));
        assertThat(fineTune.status()).as(fineTune.toString()).isEqualTo(202);
        assertThat(api.awaitSucceeded(fineTune.json().get("id").asString()).get("state").asString())
                .isEqualTo("SUCCEEDED");
        Http.Response unknown = api.post(SPLITTABLE_JOB.formatted(data, 2, ", \"initialModelId\": \""
                + UUID.randomUUID() + "\""));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertProblem(api.post(SPLITTABLE_JOB.formatted(data, 2, ", \"initialModelId\": \"nope\"")), 400,
                "initialModelId");
    }

    @Test
    void aStoppedAdamRunContinuedFromItsModelEqualsTheUninterruptedRunBitForBit() {
        // 4 000 rows, 160 000 steps: over a second on a fast 2-core machine, so the stop, sent once a progress write
        // (every 250 ms) shows epoch 3, lands long before the end (on 1 000 rows the whole run took 0.36 s there,
        // and the stop came after it: a 409)
        String rings = api.ringsDataset(11, 2000);
        String request = TrainingApi.RINGS_JOB.formatted(rings, "adam", "0.01", 4000, 5);
        String stoppedId = api.submit(request);
        waitForEpoch(stoppedId, 3);
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + stoppedId + "/stop", "").status()).isEqualTo(202);
        JsonNode stopped = api.awaitSucceeded(stoppedId);
        assertThat(stopped.get("stoppedEarly").asBoolean()).as(stopped.toString()).isTrue();
        int at = stopped.get("progress").get("epoch").asInt();

        String continuedRequest = request.replace("\"seed\": 5", "\"seed\": 5, \"name\": \"continued\", "
                + "\"initialModelId\": \"" + stopped.get("modelId").asString() + "\"");
        JsonNode continued = api.awaitSucceeded(api.submit(continuedRequest));
        JsonNode uninterrupted = api.awaitSucceeded(api.submit(request));
        assertThat(continued.get("state").asString()).as(continued.toString()).isEqualTo("SUCCEEDED");
        assertThat(api.metrics(continued.get("id").asString()).get("epochs").get(0).get("epoch").asInt())
                .as("the continued job runs on from the stopped epoch").isEqualTo(at + 1);
        assertThat(api.model(continued.get("modelId").asString()).get("parameters"))
                .as("Adam's moments and the shuffle position were carried: the same parameters bit for bit")
                .isEqualTo(api.model(uninterrupted.get("modelId").asString()).get("parameters"));

        JsonNode fineTuned = api.awaitSucceeded(api.submit(continuedRequest.replace("\"batchSize\": 100",
                "\"batchSize\": 50").replace("\"epochs\": 4000", "\"epochs\": 3")));
        assertThat(api.metrics(fineTuned.get("id").asString()).get("epochs").get(0).get("epoch").asInt())
                .as("another request fine-tunes from epoch 1 with a fresh optimizer").isEqualTo(1);
        assertThat(api.http.delete(TrainingApi.JOBS + "/" + stoppedId).status()).isEqualTo(204);
    }

    List<String> jobIds(String query) {
        return ids(TrainingApi.JOBS + query);
    }

    List<String> modelIds(String query) {
        return ids(TrainingApi.MODELS + query);
    }

    List<String> ids(String pathAndQuery) {
        Http.Response r = api.http.get(pathAndQuery + "&size=100");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode item : r.json().get("items")) {
            ids.add(item.get("id").asString());
        }
        return ids;
    }

    static void assertProblem(Http.Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(r.json().get("errors").findValuesAsString("field")).as(r.toString()).contains(field);
        }
    }

    void waitForEpoch(String id, int epoch) {
        api.await(id, Duration.ofSeconds(30), "RUNNING");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.job(id).get("progress").get("epoch").asInt() < epoch && System.nanoTime() < deadline) {
            TrainingApi.sleep(50);
        }
    }
}
