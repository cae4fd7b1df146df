package io.tapeflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tapeflow.support.Http;
import io.tapeflow.support.ReplicaProcess;
import io.tapeflow.support.TcpProxy;
import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the packaged service as real processes on one PostgreSQL schema, reached through a TCP proxy the
 * test can cut. Short leases (3 s) and checkpoints (300 ms) keep each scenario to seconds. The replicas' logs are in
 * {@code target/it-logs/}; the workers log each claim and each outcome with its lease token, which is how the tests
 * see which attempt resumed from which epoch and that no job finished twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final Duration READY = Duration.ofSeconds(240);
    private static final Duration FINISH = Duration.ofSeconds(240);

    private static final String DATASET = """
            {"name": "replicas", "seed": 42,
             "source": {"type": "linear", "samples": 400, "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0,
                        "low": -10, "high": 10}}""";

    /** A small regression: 40 eager steps an epoch, about 2.5 ms an epoch on one core. */
    private static final String JOB = """
            {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [8], "activation": "tanh",
             "output": "linear"}, "loss": "mse", "optimizer": {"type": "adam", "learningRate": 0.01},
             "epochs": %d, "batchSize": 10, "seed": %d, "execution": "eager"}""";

    private static TestDatabases.Postgres db;
    private static TcpProxy proxy;
    private static ReplicaProcess a;
    private static ReplicaProcess b;
    private static String dataset;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        db = TestDatabases.freshPostgres();
        Matcher hostPort = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.url());
        assertThat(hostPort.find()).as(db.url()).isTrue();
        proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
        String proxied = db.url().replace(hostPort.group(0), "//127.0.0.1:" + proxy.port() + "/");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.datasource.url", proxied);
        settings.put("spring.datasource.username", db.username());
        settings.put("spring.datasource.password", db.password());
        settings.put("spring.datasource.hikari.connection-timeout", "2000");
        settings.put("tapeflow.training.workers", "2");
        settings.put("tapeflow.training.lease", "3s");
        settings.put("tapeflow.training.reaper-interval", "1s");
        settings.put("tapeflow.training.retry-backoff", "200ms");
        settings.put("tapeflow.training.poll-interval", "200ms");
        settings.put("tapeflow.training.checkpoint-interval", "300ms");
        settings.put("tapeflow.training.shutdown-grace", "15s");
        a = ReplicaProcess.start("replica-a", settings);
        b = ReplicaProcess.start("replica-b", settings);
        a.awaitReady(READY);
        b.awaitReady(READY);
        Http.Response created = a.http().postJson("/api/v1/datasets", DATASET);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        dataset = created.json().get("id").asString();
    }

    @AfterAll
    static void stopReplicas() {
        for (ReplicaProcess r : new ReplicaProcess[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Each scenario starts with both replicas up, whatever the one before it killed. */
    @BeforeEach
    void bothReplicasRunning() {
        for (ReplicaProcess r : List.of(a, b)) {
            if (!r.alive()) {
                r.restart();
            }
        }
        a.awaitReady(READY);
        b.awaitReady(READY);
    }

    @Test
    @Order(1)
    void killNineOfTheReplicaHoldingJobsLosesNothingAndResumesBitIdentically() {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> seeds = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String id = submit(i % 2 == 0 ? a : b, JOB.formatted(dataset, 600, 100 + i));
            ids.add(id);
            seeds.put(id, 100 + i);
        }
        ReplicaProcess victim = awaitHolderWithCheckpoint(ids);
        Set<String> held = runningOn(victim);
        victim.kill();
        victim.restart(); // starts alongside the rest of the test; the next one waits for it
        ReplicaProcess survivor = victim == a ? b : a;

        awaitFinished(ids);
        Set<String> resumed = new HashSet<>();
        for (String id : ids) {
            Map<String, Object> row = job(id);
            assertThat(row.get("state")).as("job %s", id).isEqualTo("SUCCEEDED");
            assertThat(modelsOf(id)).as("models of %s", id).isOne();
            int attempts = (Integer) row.get("attempts");
            if (attempts == 2) {
                resumed.add(id);
            } else {
                assertThat(attempts).as("attempts of %s", id).isOne();
            }
        }
        assertThat(resumed).as("jobs held by the killed replica %s", held).isNotEmpty().isSubsetOf(held);
        assertEachSucceededUnderOneLease(ids);
        boolean someResumedFromACheckpoint = false;
        for (String id : resumed) {
            someResumedFromACheckpoint |= resumedAfterEpoch(survivor, id, 2) > 0;
            assertSameParametersAsAnUninterruptedRun(survivor, id, JOB.formatted(dataset, 600, seeds.get(id)));
        }
        assertThat(someResumedFromACheckpoint).as("a resumed job continued from its checkpoint").isTrue();
    }

    @Test
    @Order(2)
    void sigtermCheckpointsAndReleasesARunningJobThatTheOtherReplicaFinishes() {
        String body = JOB.formatted(dataset, 3000, 7);
        String id = submit(a, body);
        ReplicaProcess holder = awaitHolder(id, 20);
        ReplicaProcess other = holder == a ? b : a;

        int exit = holder.terminate(Duration.ofSeconds(60));
        assertThat(exit).as("exit status after SIGTERM").isNotZero().isNotEqualTo(137);
        assertThat(holder.log()).contains("Job " + id + " released to the queue under lease");
        holder.restart();

        awaitFinished(List.of(id));
        Map<String, Object> row = job(id);
        assertThat(row.get("state")).isEqualTo("SUCCEEDED");
        assertThat(row.get("attempts")).as("a release is not a failed attempt").isEqualTo(1);
        assertThat(resumedAfterEpoch(other, id, 1)).as("the other replica resumed from the shutdown checkpoint")
                .isGreaterThanOrEqualTo(20);
        assertEachSucceededUnderOneLease(List.of(id));
        assertSameParametersAsAnUninterruptedRun(other, id, body);
    }

    @Test
    @Order(4)
    void aJobWhoseWorkerDiesOnEveryAttemptEndsFailedWithWorkerLost() {
        // long enough that it never finishes: the test kills whichever replica claims it, three times
        String id = submit(a, JOB.formatted(dataset, 10_000, 3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            ReplicaProcess holder = awaitClaim(id, attempt);
            holder.kill();
            if (attempt < 3) {
                holder.restart();
            }
        }
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (!"FAILED".equals(job(id).get("state"))) {
            assertThat(System.nanoTime()).as("job %s failed in time: %s", id, job(id)).isLessThan(deadline);
            sleep(200);
        }
        Map<String, Object> row = job(id);
        assertThat(row.get("error_code")).isEqualTo("WORKER_LOST");
        assertThat(row.get("attempts")).isEqualTo(3);
        assertThat(modelsOf(id)).isZero();
    }

    @Test
    @Order(3)
    void aTwentySecondDatabaseOutageTakesReadinessDownAndLosesNoJob() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit(i % 2 == 0 ? a : b, JOB.formatted(dataset, 1500, 200 + i)));
        }
        awaitRunning(ids, 2);

        proxy.cut();
        long cutAt = System.nanoTime();
        try {
            for (ReplicaProcess r : List.of(a, b)) {
                awaitStatus(r, "/actuator/health/readiness", 503, Duration.ofSeconds(15));
                assertThat(r.http().get("/actuator/health/liveness").status()).as("still alive").isEqualTo(200);
            }
            Http.Response refused = a.http().postJson("/api/v1/training-jobs", JOB.formatted(dataset, 10, 1));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            sleep(Math.max(0, 20_000 - (System.nanoTime() - cutAt) / 1_000_000));
        } finally {
            proxy.restore();
        }
        for (ReplicaProcess r : List.of(a, b)) {
            awaitStatus(r, "/actuator/health/readiness", 200, Duration.ofSeconds(30));
        }
        awaitFinished(ids);
        for (String id : ids) {
            assertThat(job(id).get("state")).as("job %s", id).isEqualTo("SUCCEEDED");
            assertThat(modelsOf(id)).as("models of %s", id).isOne();
        }
        assertEachSucceededUnderOneLease(ids);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String submit(ReplicaProcess r, String body) {
        Http.Response accepted = r.http().postJson("/api/v1/training-jobs", body);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.json().get("id").asString();
    }

    /** The replica whose worker holds the job now (a lease owner is "pid@host/…"), or null. */
    private static ReplicaProcess holderOf(String leaseOwner) {
        if (leaseOwner == null) {
            return null;
        }
        for (ReplicaProcess r : List.of(a, b)) {
            if (r.alive() && leaseOwner.startsWith(r.pid() + "@")) {
                return r;
            }
        }
        return null;
    }

    private static ReplicaProcess awaitHolderWithCheckpoint(List<String> ids) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> row : query("SELECT id, lease_owner FROM training_jobs WHERE state = 'RUNNING' "
                    + "AND checkpoint_epoch >= 1")) {
                ReplicaProcess holder = holderOf((String) row.get("lease_owner"));
                if (holder != null && ids.contains(row.get("id").toString())) {
                    return holder;
                }
            }
            sleep(20);
        }
        return fail("No replica held a running job with a checkpoint");
    }

    private static Set<String> runningOn(ReplicaProcess r) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> row : query("SELECT id, lease_owner FROM training_jobs WHERE state = 'RUNNING'")) {
            if (holderOf((String) row.get("lease_owner")) == r) {
                ids.add(row.get("id").toString());
            }
        }
        return ids;
    }

    /** Waits until the job runs past {@code epoch} and has a checkpoint; returns the replica running it. */
    private static ReplicaProcess awaitHolder(String id, int epoch) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> row = job(id);
            ReplicaProcess holder = holderOf((String) row.get("lease_owner"));
            if ("RUNNING".equals(row.get("state")) && holder != null && (Integer) row.get("epoch") >= epoch
                    && row.get("checkpoint_epoch") != null) {
                return holder;
            }
            sleep(20);
        }
        return fail("Job " + id + " never ran past epoch " + epoch + ": " + job(id));
    }

    private static ReplicaProcess awaitClaim(String id, int attempt) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> row = job(id);
            ReplicaProcess holder = holderOf((String) row.get("lease_owner"));
            if ("RUNNING".equals(row.get("state")) && (Integer) row.get("attempts") == attempt && holder != null) {
                return holder;
            }
            sleep(20);
        }
        return fail("Job " + id + " was not claimed for attempt " + attempt + ": " + job(id));
    }

    private static void awaitRunning(List<String> ids, int atLeast) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            int running = 0;
            for (String id : ids) {
                running += "RUNNING".equals(job(id).get("state")) ? 1 : 0;
            }
            if (running >= atLeast) {
                return;
            }
            sleep(20);
        }
        fail("Fewer than " + atLeast + " of " + ids + " ever ran at once");
    }

    private static void awaitFinished(List<String> ids) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        for (String id : ids) {
            while (!Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job(id).get("state"))) {
                assertThat(System.nanoTime()).as("job %s finished in time: %s", id, job(id)).isLessThan(deadline);
                sleep(100);
            }
        }
    }

    private static void awaitStatus(ReplicaProcess r, String path, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http.Response last = null;
        while (System.nanoTime() < deadline) {
            last = r.http().get(path);
            if (last.status() == status) {
                return;
            }
            sleep(200);
        }
        fail(r.name() + " " + path + " answered " + last + ", not " + status + ", for " + timeout);
    }

    /** Exactly one "SUCCEEDED under lease" line per job over every replica's log: nobody finished a job twice. */
    private static void assertEachSucceededUnderOneLease(List<String> ids) {
        String logs = a.log() + b.log();
        for (String id : ids) {
            Matcher m = Pattern.compile("Job " + id + " SUCCEEDED under lease ([0-9a-f-]{36})").matcher(logs);
            List<String> tokens = new ArrayList<>();
            while (m.find()) {
                tokens.add(m.group(1));
            }
            assertThat(tokens).as("leases job %s succeeded under", id).hasSize(1);
        }
    }

    /** The epoch the replica's claim of {@code attempt} resumed after (0 when it started from scratch). */
    private static int resumedAfterEpoch(ReplicaProcess r, String id, int attempt) {
        Matcher m = Pattern.compile("Job " + id + " claimed: attempt " + attempt
                + ", lease [0-9a-f-]{36}, (from the start|resuming after epoch (\\d+))").matcher(r.log());
        assertThat(m.find()).as("%s logged the claim of %s, attempt %d", r.name(), id, attempt).isTrue();
        return m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    }

    private static void assertSameParametersAsAnUninterruptedRun(ReplicaProcess r, String id, String body) {
        String reference = submit(r, body);
        awaitFinished(List.of(reference));
        assertThat(job(reference).get("attempts")).as("the reference ran uninterrupted").isEqualTo(1);
        JsonNode resumed = model(r, id).get("parameters");
        JsonNode uninterrupted = model(r, reference).get("parameters");
        assertThat(resumed.toString()).as("parameters of resumed job %s", id).isEqualTo(uninterrupted.toString());
    }

    private static JsonNode model(ReplicaProcess r, String jobId) {
        Http.Response job = r.http().get("/api/v1/training-jobs/" + jobId);
        Http.Response model = r.http().get("/api/v1/models/" + job.json().get("modelId").asString());
        assertThat(model.status()).as(model.toString()).isEqualTo(200);
        return model.json();
    }

    private static Map<String, Object> job(String id) {
        List<Map<String, Object>> rows = query("""
                SELECT state, attempts, epoch, lease_owner, checkpoint_epoch, error_code, model_id
                FROM training_jobs WHERE id = ?""", UUID.fromString(id));
        assertThat(rows).as("job %s", id).hasSize(1);
        return rows.get(0);
    }

    private static long modelsOf(String id) {
        return ((Number) query("SELECT COUNT(*) AS n FROM models WHERE job_id = ?", UUID.fromString(id)).get(0)
                .get("n")).longValue();
    }

    /** Straight to PostgreSQL, not through the proxy: the test's view stays up while the replicas' is cut. */
    private static List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
