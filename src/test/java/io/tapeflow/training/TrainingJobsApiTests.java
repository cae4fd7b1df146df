package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The job lifecycle over real HTTP, with the real engine: accept, run, cancel, fail, replay. */
abstract class TrainingJobsApiTests {

    /** Long enough to still be running when a test cancels it (about a minute of eager training). */
    static final int LONG_EPOCHS = 5000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    long jobCount() {
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs").query(Long.class).single();
    }

    @Test
    void acceptsWith202LocationAndRetryAfterThenRunsToAModel() {
        String dataset = api.linearDataset();
        Http.Response accepted = api.post(TrainingApi.LINEAR_JOB.formatted(dataset, 5, 3));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String id = accepted.json().get("id").asString();
        assertThat(accepted.header("Location")).isEqualTo(api.http.baseUrl() + "/api/v1/training-jobs/" + id);
        assertThat(Integer.parseInt(accepted.header("Retry-After"))).isPositive();
        assertThat(accepted.json().get("state").asString()).isIn("QUEUED", "RUNNING", "SUCCEEDED");
        assertThat(accepted.json().get("request").get("shuffle").asBoolean()).as("defaults filled in").isTrue();

        JsonNode done = api.awaitSucceeded(id);
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).isOne();
        assertThat(done.get("progress").get("epoch").asInt()).isEqualTo(5);
        assertThat(done.get("progress").get("step").asLong()).isEqualTo(200);
        assertThat(done.get("latest").get("loss").isNumber()).isTrue();
        assertThat(done.get("startedAt").isNull()).isFalse();
        assertThat(done.get("finishedAt").isNull()).isFalse();
        assertThat(done.get("etaSeconds").asDouble()).isZero();
        assertThat(api.metrics(id).get("epochs").size()).isEqualTo(5);

        Http.Response list = api.http.get(TrainingApi.JOBS + "?state=succeeded&size=100");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").findValuesAsString("id")).contains(id);
        assertThat(api.http.get(TrainingApi.JOBS + "?state=RUNNING&size=100").json().get("items")
                .findValuesAsString("id")).doesNotContain(id);
    }

    @Test
    void eventsStreamProgressThenTheFinalStateThenEnd() throws Exception {
        // A job far too long to end on its own, cancelled once the stream has shown progress: however fast the
        // machine, the stream opens on a running job, so the test never races the job's end.
        String dataset = api.ringsDataset(3, 500);
        String id = api.submit(TrainingApi.RINGS_JOB.formatted(dataset, "sgd", "0.001", LONG_EPOCHS, 1));
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.http.baseUrl() + TrainingApi.JOBS + "/" + id + "/events"))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (String line : (Iterable<String>) stream.body()::iterator) {
            if (line.startsWith("event:")) {
                events.add(line.substring(6).trim());
                if (events.size() == 1) {
                    assertThat(api.http.postJson(TrainingApi.JOBS + "/" + id + "/cancel", "").status())
                            .isEqualTo(202);
                }
            } else if (line.startsWith("id:")) {
                ids.add(line.substring(3).trim());
            } else if (line.startsWith("data:")) {
                data.add(line.substring(5));
            }
        }
        assertThat(events).hasSizeGreaterThan(1);
        assertThat(events.get(events.size() - 1)).isEqualTo("final");
        assertThat(events.subList(0, events.size() - 1)).containsAnyOf("progress", "epoch")
                .allMatch(e -> e.equals("progress") || e.equals("epoch"));
        assertThat(ids).hasSameSizeAs(events);
        for (int i = 1; i < ids.size(); i++) {
            // the final event may repeat the last id (a cancel at an epoch's end adds no step)
            assertThat(compareIds(ids.get(i), ids.get(i - 1))).as("ids never decrease: %s", ids).isNotNegative();
        }
        for (int i = 0; i < events.size() - 1; i++) {
            JsonNode event = new Http.Response(200, java.util.Map.of(), data.get(i)).json();
            assertThat(event.has("request")).as("a %s event carries what changed, not the job", events.get(i))
                    .isFalse();
        }
        assertThat(new Http.Response(200, java.util.Map.of(), data.get(data.size() - 1)).json().get("state")
                .asString()).isEqualTo("CANCELLED");
        assertThat(api.http.get(TrainingApi.JOBS + "/" + UUID.randomUUID() + "/events").status()).isEqualTo(404);
    }

    @Test
    void aStreamOpenedOnAFinishedJobReplaysItsEpochsAndResumesAfterLastEventId() throws Exception {
        String dataset = api.ringsDataset(3, 100);
        String id = api.submit(TrainingApi.RINGS_JOB.formatted(dataset, "adam", "0.01", 6, 1));
        api.awaitSucceeded(id);
        List<String[]> all = events(id, null);
        assertThat(all).extracting(e -> e[0]).containsExactly("epoch", "epoch", "epoch", "epoch", "epoch", "epoch",
                "final");
        JsonNode third = new Http.Response(200, java.util.Map.of(), all.get(2)[2]).json();
        assertThat(third.get("epoch").asInt()).isEqualTo(3);
        assertThat(third.get("metrics").has("loss")).isTrue();
        List<String[]> resumed = events(id, all.get(3)[1]);
        assertThat(resumed).extracting(e -> e[0]).containsExactly("epoch", "epoch", "final");
        assertThat(new Http.Response(200, java.util.Map.of(), resumed.get(0)[2]).json().get("epoch").asInt())
                .isEqualTo(5);
        assertThat(events(id, "not an id")).hasSameSizeAs(all);
    }

    /** The events of a stream as {name, id, data}, until it ends. */
    private List<String[]> events(String job, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.http.baseUrl() + TrainingApi.JOBS + "/"
                + job + "/events")).timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String[]> events = new ArrayList<>();
        String[] current = new String[3];
        for (String line : (Iterable<String>) stream.body()::iterator) {
            if (line.startsWith("event:")) {
                current[0] = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                current[1] = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                current[2] = line.substring(5);
            } else if (line.isEmpty() && current[0] != null) {
                events.add(current);
                current = new String[3];
            }
        }
        return events;
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    @Test
    void longPollsHoldNoRequestThread() throws Exception {
        // Issue #14: 210 long polls took all of Tomcat's 200 request threads and an unrelated GET waited 16 s.
        // Four million steps: it runs (or waits in the queue) for the whole test, however fast the machine.
        String dataset = api.ringsDataset(3, 2000);
        String id = api.submit(TrainingApi.RINGS_JOB.formatted(dataset, "sgd", "0.001", 10_000, 1)
                .replace("\"batchSize\": 100", "\"batchSize\": 10"));
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            polls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(api.http.baseUrl() + TrainingApi.JOBS + "/"
                    + id + "?waitSeconds=30")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(500); // let them all arrive
        HttpResponse<String> unrelated = client.send(HttpRequest.newBuilder(URI.create(api.http.baseUrl()
                + "/api/v1/datasets?size=1")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unrelated.statusCode()).as("an unrelated request beside 250 waiting long polls").isEqualTo(200);
        assertThat(polls).noneMatch(java.util.concurrent.CompletableFuture::isDone);
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + id + "/cancel", "").status()).isIn(200, 202);
        for (var poll : polls) {
            HttpResponse<String> answer = poll.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"CANCELLED\"");
        }
    }

    @Test
    void cancelInEachState() {
        String dataset = api.ringsDataset(5, 2000);
        String longJob = TrainingApi.RINGS_JOB.formatted(dataset, "sgd", "0.001", LONG_EPOCHS, 1);
        // Both workers busy, so a third job waits in the queue.
        String first = api.submit(longJob);
        String second = api.submit(longJob);
        api.await(first, Duration.ofSeconds(30), "RUNNING");
        api.await(second, Duration.ofSeconds(30), "RUNNING");
        String queued = api.submit(longJob);
        assertThat(api.job(queued).get("state").asString()).isEqualTo("QUEUED");

        Http.Response cancelQueued = api.http.postJson(TrainingApi.JOBS + "/" + queued + "/cancel", "");
        assertThat(cancelQueued.status()).as(cancelQueued.toString()).isEqualTo(200);
        assertThat(cancelQueued.json().get("state").asString()).isEqualTo("CANCELLED");

        api.await(first, Duration.ofSeconds(30), "RUNNING");
        waitForEpoch(first, 1);
        Http.Response cancelRunning = api.http.postJson(TrainingApi.JOBS + "/" + first + "/cancel", "");
        assertThat(cancelRunning.status()).as(cancelRunning.toString()).isEqualTo(202);
        assertThat(cancelRunning.json().get("cancelRequestedAt").isNull()).isFalse();
        JsonNode cancelled = api.await(first, Duration.ofSeconds(10), "CANCELLED");
        assertThat(cancelled.get("progress").get("epoch").asInt()).isLessThan(LONG_EPOCHS);
        assertThat(cancelled.get("modelId").isNull()).isTrue();
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + second + "/cancel", "").status()).isEqualTo(202);
        api.await(second, Duration.ofSeconds(10), "CANCELLED");

        Http.Response again = api.http.postJson(TrainingApi.JOBS + "/" + first + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        String finished = api.submit(TrainingApi.LINEAR_JOB.formatted(api.linearDataset(), 1, 1));
        api.awaitSucceeded(finished);
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + finished + "/cancel", "").status()).isEqualTo(409);
        assertThat(api.http.postJson(TrainingApi.JOBS + "/" + UUID.randomUUID() + "/cancel", "").status())
                .isEqualTo(404);
    }

    @Test
    void theDatasetOfAQueuedJobCannotBeDeletedUntilTheJobHasFinished() {
        String busy = TrainingApi.RINGS_JOB.formatted(api.ringsDataset(5, 2000), "sgd", "0.001", LONG_EPOCHS, 1);
        String first = api.submit(busy);
        String second = api.submit(busy);
        api.await(first, Duration.ofSeconds(30), "RUNNING");
        api.await(second, Duration.ofSeconds(30), "RUNNING");
        String doomedData = api.linearDataset();
        String doomed = api.submit(TrainingApi.LINEAR_JOB.formatted(doomedData, 2, 1));
        assertThat(api.http.delete("/api/v1/datasets/" + doomedData).status()).isEqualTo(409);
        api.http.postJson(TrainingApi.JOBS + "/" + first + "/cancel", "");
        api.http.postJson(TrainingApi.JOBS + "/" + second + "/cancel", "");
        JsonNode job = api.awaitSucceeded(doomed);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(api.http.delete("/api/v1/datasets/" + doomedData).status()).isEqualTo(204);
        assertThat(api.model(job.get("modelId").asString()).get("datasetId").asString())
                .as("the model keeps the id as history").isEqualTo(doomedData);
        api.await(first, Duration.ofSeconds(10), "CANCELLED");
        api.await(second, Duration.ofSeconds(10), "CANCELLED");
    }

    void waitForEpoch(String id, int epoch) {
        api.await(id, Duration.ofSeconds(30), "RUNNING");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.job(id).get("progress").get("epoch").asInt() < epoch && System.nanoTime() < deadline) {
            TrainingApi.sleep(50);
        }
    }

    @Test
    void aDivergingRunFailsWithDivergedAndTheEpoch() {
        String dataset = api.linearDataset();
        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "linear"}, "loss": "mse",
                 "optimizer": {"type": "sgd", "learningRate": 10}, "epochs": 50, "batchSize": 10, "seed": 1}"""
                .formatted(dataset)));
        assertThat(job.get("state").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asString()).isEqualTo("DIVERGED");
        assertThat(job.get("error").get("epoch").asInt()).isEqualTo(1);
        assertThat(job.get("error").get("message").asString()).contains("epoch 1");
        assertThat(job.get("modelId").isNull()).isTrue();
    }

    @Test
    void aJobOverItsMaxRuntimeFailsWithTimedOut() {
        String dataset = api.ringsDataset(5, 2000);
        String request = TrainingApi.RINGS_JOB.formatted(dataset, "sgd", "0.001", LONG_EPOCHS, 1)
                .replace("\"epochs\"", "\"maxRuntimeSeconds\": 1, \"epochs\"");
        JsonNode job = api.await(api.submit(request), Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "CANCELLED");
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asString()).isEqualTo("TIMED_OUT");
        assertThat(job.get("progress").get("epoch").asInt()).isLessThan(LONG_EPOCHS);
    }

    @Test
    void earlyStoppingEndsTheRunSucceededBeforeItsEpochs() {
        String dataset = api.linearDataset();
        JsonNode job = api.awaitSucceeded(api.submit("""
                {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
                 "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 50, "batchSize": 10, "seed": 1,
                 "validationSplit": 0.25,
                 "earlyStopping": {"monitor": "val_loss", "patience": 2, "minDelta": 1000}}""".formatted(dataset)));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode epochs = api.metrics(job.get("id").asString()).get("epochs");
        assertThat(epochs.size()).as("stops once val_loss has not improved by 1000 for 2 epochs").isEqualTo(3);
        assertThat(epochs.get(0).get("metrics").has("val_loss")).isTrue();
        JsonNode model = api.model(job.get("modelId").asString());
        assertThat(model.get("training").get("stopped").asString()).isEqualTo("early_stopping");
        assertThat(model.get("training").get("epochs").asInt()).isEqualTo(3);
    }

    @Test
    void twentyConcurrentIdenticalPostsWithOneKeyMakeOneJob() throws Exception {
        String body = TrainingApi.LINEAR_JOB.formatted(api.linearDataset(), 2, 9);
        String key = "idem-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(clients.submit(() -> {
                go.await();
                return api.post(body, key);
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<Http.Response> f : responses) {
            Http.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            ids.add(r.json().get("id").asString());
        }
        clients.shutdown();
        assertThat(ids).hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isOne();

        Http.Response replay = api.post(body, key);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        Http.Response otherBody = api.post(body.replace("\"epochs\": 2", "\"epochs\": 3"), key);
        assertThat(otherBody.status()).as(otherBody.toString()).isEqualTo(422);
        assertThat(otherBody.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void dryRunEstimatesWithoutQueuingAndAJobOverBudgetIsRefusedWith422() {
        String dataset = api.ringsDataset(11, 2000);
        long before = jobCount();
        Http.Response dry = api.http.postJson(TrainingApi.JOBS + "?dryRun=true",
                TrainingApi.RINGS_JOB.formatted(dataset, "adam", "0.01", 100, 1));
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        JsonNode estimate = dry.json().get("estimate");
        assertThat(estimate.get("parameters").asInt()).isEqualTo(2 * 4 + 4 + 4 * 8 + 8 + 8 + 1);
        assertThat(estimate.get("stepsPerEpoch").asInt()).isEqualTo(40);
        assertThat(estimate.get("steps").asLong()).isEqualTo(4000);
        assertThat(estimate.get("work").asLong()).isEqualTo(4000L * 100 * 61);
        assertThat(estimate.get("memoryBytes").asLong()).isPositive();
        assertThat(estimate.get("expectedSeconds").asDouble()).isPositive();
        assertThat(dry.json().get("withinBudget").asBoolean()).isTrue();

        String huge = """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4096, 4096], "output": "sigmoid"},
                 "optimizer": {"type": "adam"}, "epochs": 10000, "batchSize": 100}""".formatted(dataset);
        Http.Response dryHuge = api.http.postJson(TrainingApi.JOBS + "?dryRun=true", huge);
        assertThat(dryHuge.status()).isEqualTo(200);
        assertThat(dryHuge.json().get("withinBudget").asBoolean()).isFalse();
        Http.Response refused = api.post(huge);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").findValuesAsString("field")).contains("estimate.work");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void aJobWhoseCheckpointsWouldOverwhelmTheDatabaseIsRefusedBeforeItIsQueued() {
        // Issue #14: this job was priced within budget, then ran the embedded database out of memory with its
        // 200 MB checkpoints (and corrupted the file). Now the checkpoint's size is part of the budget.
        String dataset = api.dataset("""
                {"name": "one row", "source": {"type": "inline", "features": [[1.0]], "labels": [[0.0]]}}""");
        long before = jobCount();
        String job = """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4096, 4096]},
                 "optimizer": {"type": "adam"}, "epochs": 10, "batchSize": 1, "maxRuntimeSeconds": 30}"""
                .formatted(dataset);
        Http.Response dry = api.http.postJson(TrainingApi.JOBS + "?dryRun=true", job);
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        assertThat(dry.json().get("estimate").get("checkpointBytes").asLong()).isGreaterThan(200_000_000L);
        assertThat(dry.json().get("budget").get("maxCheckpointBytes").asLong()).isEqualTo(64L << 20);
        assertThat(dry.json().get("withinBudget").asBoolean()).isFalse();
        Http.Response refused = api.post(job);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().get("errors").findValuesAsString("field")).contains("estimate.checkpointBytes");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void theSameRequestAndSeedGiveBitIdenticalParameters() {
        String dataset = api.ringsDataset(13, 300);
        String request = TrainingApi.RINGS_JOB.formatted(dataset, "adam", "0.01", 20, 77);
        JsonNode a = api.awaitSucceeded(api.submit(request));
        JsonNode b = api.awaitSucceeded(api.submit(request));
        JsonNode pa = api.model(a.get("modelId").asString()).get("parameters");
        JsonNode pb = api.model(b.get("modelId").asString()).get("parameters");
        assertThat(pa.toString()).isEqualTo(pb.toString());
        JsonNode other = api.awaitSucceeded(api.submit(TrainingApi.RINGS_JOB.formatted(dataset, "adam", "0.01", 20,
                78)));
        assertThat(api.model(other.get("modelId").asString()).get("parameters").toString())
                .isNotEqualTo(pa.toString());
    }

    @Test
    void fortyConcurrentJobsOnTwoWorkersEachRunExactlyOnce() throws Exception {
        String dataset = api.linearDataset();
        assertThat(api.http.get("/actuator/health/readiness").json().get("components").get("trainingWorkers")
                .get("details").get("workers").asInt()).isEqualTo(2);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<String>> submitted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long seed = i;
            submitted.add(clients.submit(() -> api.submit("""
                    {"datasetId": "%s", "model": {"type": "linear"}, "loss": "mse",
                     "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 3, "batchSize": 50,
                     "seed": %d, "execution": "eager"}""".formatted(dataset, seed))));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : submitted) {
            ids.add(f.get());
        }
        clients.shutdown();
        Set<String> models = new HashSet<>();
        for (String id : ids) {
            JsonNode job = api.awaitSucceeded(id);
            assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("claimed once").isOne();
            assertThat(api.metrics(id).get("epochs").size()).isEqualTo(3);
            models.add(job.get("modelId").asString());
        }
        assertThat(models).hasSize(40);
        for (String id : ids) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM models WHERE job_id = ?").param(UUID.fromString(id))
                    .query(Long.class).single()).isOne();
        }
    }

    @Test
    void invalidRequestsAre4xxProblemsAndStoreNothing() {
        String dataset = api.linearDataset();
        long before = jobCount();
        record Case(String body, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case("{\"model\": {\"type\": \"linear\"}}", 400, "datasetId"),
                new Case("{\"datasetId\": \"nope\", \"model\": {\"type\": \"linear\"}}", 400, "datasetId"),
                new Case("{\"datasetId\": \"" + UUID.randomUUID() + "\", \"model\": {\"type\": \"linear\"}}", 404,
                        null),
                new Case("{\"datasetId\": \"" + dataset + "\"}", 400, "model"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"cnn\"}}", 400, "model.type"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"mlp\", \"hiddenLayers\": [0]}}",
                        400, "model.hiddenLayers[0]"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, \"loss\": \"hinge\"}",
                        400, "loss"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"loss\": \"binary_crossentropy\"}", 400, "loss"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, \"epochs\": 0}",
                        400, "epochs"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"batchSize\": 1000000}", 400, "batchSize"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"validationSplit\": 1.0}", 400, "validationSplit"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"optimizer\": {\"type\": \"adam\", \"learningRate\": -1}}", 400,
                        "optimizer.learningRate"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"optimizer\": {\"type\": \"sgd\", \"beta1\": 0.5}}", 400, "optimizer.beta1"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"execution\": \"gpu\"}", 400, "execution"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"earlyStopping\": {\"monitor\": \"val_loss\"}}", 400, "earlyStopping.monitor"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, "
                        + "\"maxRuntimeSeconds\": 0}", 400, "maxRuntimeSeconds"),
                new Case("{\"datasetId\": \"" + dataset + "\", \"model\": {\"type\": \"linear\"}, \"epochs\": \"x\"}",
                        400, null),
                new Case("{\"datasetId\": ", 400, null));
        for (Case c : cases) {
            Http.Response r = api.post(c.body());
            assertThat(r.status()).as(c.body() + " → " + r).isEqualTo(c.status());
            assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
            if (c.field() != null) {
                assertThat(r.json().get("errors").findValuesAsString("field")).as(r.toString()).contains(c.field());
            }
        }
        assertThat(jobCount()).isEqualTo(before);
        assertThat(api.http.get(TrainingApi.JOBS + "/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.http.get(TrainingApi.JOBS + "/not-a-uuid").status()).isEqualTo(400);
        assertThat(api.http.get(TrainingApi.JOBS + "?state=DONE").status()).isEqualTo(400);
        Http.Response badSize = api.http.get(TrainingApi.JOBS + "?size=0");
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.json().get("errors").findValuesAsString("field")).contains("size");
        assertThat(api.http.get(TrainingApi.JOBS + "/" + UUID.randomUUID() + "?waitSeconds=61").status())
                .isEqualTo(400);
        assertThat(api.http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void actuatorShowsJobsByStateQueueDepthAndSteps() {
        api.awaitSucceeded(api.submit(TrainingApi.LINEAR_JOB.formatted(api.linearDataset(), 2, 1)));
        TrainingApi.sleep(1100); // the job counts are cached for a second
        String prometheus = api.http.get("/actuator/prometheus").body();
        assertThat(prometheus).contains("tapeflow_training_jobs{state=\"SUCCEEDED\"}")
                .contains("tapeflow_training_queue_depth").contains("tapeflow_training_steps_total")
                .contains("tapeflow_training_steps_per_second");
        assertThat(prometheus).doesNotContain("tapeflow_training_jobs{state=\"SUCCEEDED\"} NaN")
                .doesNotContain("tapeflow_training_jobs{state=\"SUCCEEDED\"} 0.0");
        JsonNode readiness = api.http.get("/actuator/health/readiness").json();
        assertThat(readiness.get("components").get("trainingWorkers").get("status").asString()).isEqualTo("UP");
    }
}
