package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tapeflow.nn.OptimizerState;
import io.tapeflow.nn.TrainingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue at the repository and worker-pool level, on a real database, with a trivial job body: claims, fencing,
 * the reaper, cancel and shutdown. The training itself is exercised over HTTP in {@code TrainingJobsApiTests}.
 */
abstract class JobQueueTests {

    private static final Duration LEASE = Duration.ofSeconds(30);

    QueueFixture db;

    abstract QueueFixture database();

    @BeforeEach
    void open() {
        db = database();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void concurrentClaimersNeverClaimAJobTwice() throws Exception {
        Set<UUID> queued = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 120; i++) {
            queued.add(db.queue());
        }
        Map<UUID, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String owner = "claimer-" + t;
            done.add(claimers.submit(() -> {
                go.await();
                while (true) {
                    var job = db.jobs.claim(owner, LEASE);
                    if (job.isEmpty()) {
                        return null;
                    }
                    if (claimedBy.putIfAbsent(job.get().id(), owner) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        claimers.shutdown();
        assertThat(duplicates).hasValue(0);
        assertThat(claimedBy.keySet()).isEqualTo(queued);
        assertThat(db.jobs.count(JobState.RUNNING)).isEqualTo(120);
        assertThat(db.row(queued.iterator().next()).attempts()).isEqualTo(1);
    }

    @Test
    void claimsInArrivalOrderAndOnlyWhatIsDue() {
        UUID first = db.queue();
        UUID second = db.queue();
        db.jdbc.sql("UPDATE training_jobs SET created_at = created_at - INTERVAL '1' MINUTE WHERE id = ?")
                .param(first).update();
        assertThat(db.jobs.claim("w", LEASE).orElseThrow().id()).isEqualTo(first);
        db.jdbc.sql("UPDATE training_jobs SET run_at = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE id = ?")
                .param(second).update();
        assertThat(db.jobs.claim("w", LEASE)).isEmpty();
    }

    @Test
    void aStaleWorkerCannotWriteProgressACheckpointOrAResult() {
        UUID id = db.queue();
        ClaimedJob stale = db.jobs.claim("stale", LEASE).orElseThrow();
        db.expireLease(id);
        assertThat(db.jobs.reapExpiredLeases(Duration.ZERO)).isEqualTo(1);
        db.dueNow(id);
        ClaimedJob current = db.jobs.claim("current", LEASE).orElseThrow();
        assertThat(current.id()).isEqualTo(id);
        assertThat(current.attempt()).isEqualTo(2);
        assertThat(current.leaseToken()).isNotEqualTo(stale.leaseToken());

        Progress p = new Progress(2, 3, 20, 30, 100.0);
        List<EpochMetrics> epochs = List.of(new EpochMetrics(1, Map.of("loss", 9.0), 0.1));
        assertThat(db.jobs.heartbeat(id, stale.leaseToken(), LEASE)).isEqualTo(LeaseStatus.LOST);
        assertThat(db.jobs.writeProgress(id, stale.leaseToken(), p, Map.of("loss", 9.0), epochs))
                .isEqualTo(LeaseStatus.LOST);
        assertThat(db.jobs.writeCheckpoint(id, stale.leaseToken(), CountingRunner.state(2), 2)).isFalse();
        assertThat(db.jobs.succeed(id, stale.leaseToken(), p, Map.of(), epochs, QueueFixture.model(id), null)).isFalse();
        assertThat(db.jobs.fail(id, stale.leaseToken(), p, Map.of(), List.of(), "X", "x", null)).isFalse();
        assertThat(db.jobs.release(id, stale.leaseToken(), p, Map.of(), List.of(), null, null)).isFalse();

        JobRow untouched = db.row(id);
        assertThat(untouched.state()).isEqualTo(JobState.RUNNING);
        assertThat(untouched.progress().step()).isZero();
        assertThat(untouched.checkpointEpoch()).isNull();
        assertThat(db.jobs.metrics(id)).isEmpty();
        assertThat(db.models.countForJob(id)).isZero();

        assertThat(db.jobs.heartbeat(id, current.leaseToken(), LEASE)).isEqualTo(LeaseStatus.HELD);
        assertThat(db.jobs.succeed(id, current.leaseToken(), p, Map.of("loss", 1.5), epochs, QueueFixture.model(id), null))
                .isTrue();
        JobRow done = db.row(id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.modelId()).isNotNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(db.models.countForJob(id)).isOne();
        assertThat(db.jobs.metrics(id)).extracting(EpochMetrics::epoch).containsExactly(1);
        // once finished, even the last holder's token writes nothing
        assertThat(db.jobs.heartbeat(id, current.leaseToken(), LEASE)).isEqualTo(LeaseStatus.LOST);
    }

    @Test
    void theReaperRequeuesWithBackoffThenFailsWithWorkerLost() {
        UUID id = db.queue();
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClaimedJob job = db.jobs.claim("w" + attempt, LEASE).orElseThrow();
            assertThat(job.attempt()).isEqualTo(attempt);
            assertThat(db.jobs.reapExpiredLeases(Duration.ofHours(1))).as("lease still valid").isZero();
            db.expireLease(id);
            assertThat(db.jobs.reapExpiredLeases(Duration.ofHours(1))).isEqualTo(1);
            JobRow row = db.row(id);
            if (attempt < 3) {
                assertThat(row.state()).isEqualTo(JobState.QUEUED);
                assertThat(row.leaseOwner()).isNull();
                assertThat(row.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(30)));
                assertThat(db.jobs.claim("early", LEASE)).as("backing off").isEmpty();
                db.dueNow(id);
            } else {
                assertThat(row.state()).isEqualTo(JobState.FAILED);
                assertThat(row.errorCode()).isEqualTo("WORKER_LOST");
                assertThat(row.attempts()).isEqualTo(3);
            }
        }
    }

    @Test
    void cancelInEachState() {
        UUID queued = db.queue();
        assertThat(db.jobs.cancelQueued(queued)).isTrue();
        assertThat(db.row(queued).state()).isEqualTo(JobState.CANCELLED);
        assertThat(db.jobs.cancelQueued(queued)).isFalse();
        assertThat(db.jobs.requestCancel(queued)).isFalse();

        UUID running = db.queue();
        ClaimedJob job = db.jobs.claim("w", LEASE).orElseThrow();
        assertThat(db.jobs.cancelQueued(running)).isFalse();
        assertThat(db.jobs.requestCancel(running)).isTrue();
        assertThat(db.jobs.heartbeat(running, job.leaseToken(), LEASE)).isEqualTo(LeaseStatus.CANCEL_REQUESTED);
        assertThat(db.jobs.cancelled(running, job.leaseToken(), new Progress(1, 3, 10, 30, null), Map.of(),
                List.of())).isTrue();
        assertThat(db.row(running).state()).isEqualTo(JobState.CANCELLED);
        assertThat(db.jobs.requestCancel(running)).isFalse();

        // a cancel pending on a job whose worker vanished ends it instead of re-queueing it
        UUID orphan = db.queue();
        db.jobs.claim("w", LEASE).orElseThrow();
        db.jobs.requestCancel(orphan);
        db.expireLease(orphan);
        db.jobs.reapExpiredLeases(Duration.ZERO);
        assertThat(db.row(orphan).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void fortyJobsOnTwoWorkersEachRunExactlyOnce() throws Exception {
        CountingRunner runner = new CountingRunner(Duration.ofMillis(5));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(db.queue());
        }
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, runner, QueueFixture.settings(2, LEASE));
        pool.start();
        try {
            awaitFinished(ids, Duration.ofSeconds(60));
        } finally {
            pool.stop();
        }
        assertAllSucceededOnce(ids, runner);
    }

    @Test
    void aJobThatRunsOutOfMemoryFailsAndItsWorkerGoesOn() throws Exception {
        // Issue #14: an OutOfMemoryError in a job killed its worker for good and readiness stayed out of service.
        UUID greedy = db.queue();
        UUID next = db.queue();
        CountingRunner after = new CountingRunner(Duration.ofMillis(1));
        JobRunner runner = (job, context) -> {
            if (job.id().equals(greedy)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return after.run(job, context);
        };
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, runner, QueueFixture.settings(1, LEASE));
        pool.start();
        try {
            awaitFinished(List.of(greedy, next), Duration.ofSeconds(30));
            assertThat(pool.healthy()).as("the worker survived").isTrue();
        } finally {
            pool.stop();
        }
        JobRow failed = db.row(greedy);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(failed.errorMessage()).contains("memory");
        assertThat(db.row(next).state()).isEqualTo(JobState.SUCCEEDED);
    }

    void assertAllSucceededOnce(List<UUID> ids, CountingRunner... runners) {
        for (UUID id : ids) {
            JobRow row = db.row(id);
            assertThat(row.state()).as("job %s", id).isEqualTo(JobState.SUCCEEDED);
            assertThat(row.attempts()).isOne();
            assertThat(db.models.countForJob(id)).isOne();
            int runs = 0;
            for (CountingRunner r : runners) {
                runs += r.runs.getOrDefault(id, 0);
            }
            assertThat(runs).as("runs of %s", id).isOne();
            assertThat(db.jobs.metrics(id)).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        }
        assertThat(db.models.count()).isEqualTo(ids.size());
    }

    @Test
    void shutdownGivesARunningJobBackToTheQueueWithItsCheckpoint() throws Exception {
        CountingRunner slow = new CountingRunner(Duration.ofMillis(200));
        UUID id = db.queue();
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, slow, QueueFixture.settings(1, LEASE));
        pool.start();
        slow.started.await(10, TimeUnit.SECONDS);
        pool.stop();
        JobRow row = db.row(id);
        assertThat(row.state()).isEqualTo(JobState.QUEUED);
        assertThat(row.attempts()).as("a release is not a failed attempt").isZero();
        assertThat(row.checkpointEpoch()).isNotNull();
        ClaimedJob again = db.jobs.claim("next", LEASE).orElseThrow();
        assertThat(again.checkpointEpoch()).isEqualTo(row.checkpointEpoch());
        assertThat(db.jobs.readCheckpoint(id)).hasValueSatisfying(
                s -> assertThat(s.nextEpoch()).isEqualTo(row.checkpointEpoch()));
        assertThat(db.jobs.succeed(id, again.leaseToken(), row.progress(), Map.of(), List.of(),
                QueueFixture.model(id), null)).isTrue();
        assertThat(db.jobs.readCheckpoint(id)).as("a finished job keeps no checkpoint").isEmpty();
        assertThat(db.row(id).checkpointEpoch()).isNull();
    }

    @Test
    void aLargeCheckpointIsStreamedToItsOwnTableReplacedAndReadBackBitForBit() {
        UUID id = db.queue();
        ClaimedJob job = db.jobs.claim("w", LEASE).orElseThrow();
        float[] big = new float[6_000_000]; // 24 MB, a few times the database's buffers
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i);
        }
        for (int epoch = 1; epoch <= 2; epoch++) {
            big[0] = epoch;
            TrainingState state = new TrainingState(Map.of("dense_1/kernel", big),
                    new OptimizerState(epoch, new float[][] {big}), epoch, 5L, 0.5, 1);
            assertThat(db.jobs.writeCheckpoint(id, job.leaseToken(), state, epoch)).isTrue();
        }
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM training_job_checkpoints WHERE job_id = ?").param(id)
                .query(Long.class).single()).as("a new checkpoint replaces the old one").isOne();
        TrainingState back = db.jobs.readCheckpoint(id).orElseThrow();
        assertThat(back.nextEpoch()).isEqualTo(2);
        assertThat(java.util.Arrays.mismatch(back.parameters().get("dense_1/kernel"), big)).isEqualTo(-1);
        assertThat(java.util.Arrays.mismatch(back.optimizer().slots()[0], big)).isEqualTo(-1);
        assertThat(db.row(id).checkpointEpoch()).isEqualTo(2);
    }

    @Test
    void aWorkerThatLosesItsLeaseStopsAndItsResultIsDiscarded() throws Exception {
        CountingRunner slow = new CountingRunner(Duration.ofMillis(300));
        UUID id = db.queue();
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, slow, QueueFixture.settings(1, Duration.ofMillis(600)));
        pool.start();
        try {
            slow.started.await(10, TimeUnit.SECONDS);
            // another replica's reaper and worker take the job over; the worker's heartbeat may renew the lease
            // between the two statements on a loaded machine, so expire it until a reaper has taken the job
            for (int i = 0; i < 100 && db.row(id).state() == JobState.RUNNING; i++) {
                db.expireLease(id);
                db.jobs.reapExpiredLeases(Duration.ZERO);
            }
            db.dueNow(id);
            ClaimedJob thief = db.jobs.claim("other-replica", Duration.ofMinutes(5)).orElseThrow();
            slow.finished.await(10, TimeUnit.SECONDS);
            Thread.sleep(100);
            JobRow row = db.row(id);
            assertThat(row.state()).isEqualTo(JobState.RUNNING);
            assertThat(row.leaseOwner()).isEqualTo("other-replica");
            assertThat(slow.lastStop).isEqualTo(StopReason.LEASE_LOST);
            assertThat(db.models.countForJob(id)).isZero();
            assertThat(db.jobs.succeed(id, thief.leaseToken(), new Progress(3, 3, 30, 30, null), Map.of(),
                    List.of(), QueueFixture.model(id), null)).isTrue();
        } finally {
            pool.stop();
        }
    }

    @Test
    void cancelReachesTheRunningWorker() throws Exception {
        CountingRunner slow = new CountingRunner(Duration.ofMillis(300));
        UUID id = db.queue();
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, slow, QueueFixture.settings(1, LEASE));
        pool.start();
        try {
            slow.started.await(10, TimeUnit.SECONDS);
            assertThat(db.jobs.requestCancel(id)).isTrue();
            awaitFinished(List.of(id), Duration.ofSeconds(10));
            assertThat(db.row(id).state()).isEqualTo(JobState.CANCELLED);
            assertThat(slow.lastStop).isEqualTo(StopReason.CANCELLED);
        } finally {
            pool.stop();
        }
    }

    @Test
    void aRehearsedJobWritesInsideItsTransactionOnlyAndLeavesNothing() throws Exception {
        UUID queued = db.queue();
        CountingRunner counting = new CountingRunner(Duration.ofMillis(100));
        Map<String, Long> seen = new ConcurrentHashMap<>();
        JobRunner watching = (job, context) -> {
            JobResult result = counting.run(job, context);
            seen.put("own epochs", (long) db.jobs.metrics(job.id()).size());
            seen.put("others' rows", countElsewhere("SELECT COUNT(*) FROM training_jobs WHERE id = ?", job.id()));
            return result;
        };
        TrainingWorkerPool pool = new TrainingWorkerPool(db.jobs, watching, QueueFixture.settings(1, LEASE));

        pool.rehearse(QueueFixture.newJob());

        assertThat(counting.runs).hasSize(1);
        assertThat(seen.get("own epochs")).as("its progress writes landed in its own transaction").isPositive();
        assertThat(seen.get("others' rows")).as("which no other connection sees").isZero();
        assertThat(count("training_jobs")).as("only the queued job").isEqualTo(1);
        assertThat(count("training_job_metrics") + count("models")).as("nothing kept").isZero();
        assertThat(db.jobs.claim("worker", LEASE)).as("the queue is as it was")
                .hasValueSatisfying(job -> assertThat(job.id()).isEqualTo(queued));
    }

    private long count(String table) {
        return db.jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** On a connection of its own, outside any transaction of the repository's. */
    private long countElsewhere(String sql, UUID id) throws SQLException {
        try (Connection other = db.dataSource.getConnection();
                PreparedStatement statement = other.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void awaitFinished(List<UUID> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (UUID id : ids) {
            while (!db.row(id).state().isFinished()) {
                assertThat(System.nanoTime()).as("job %s finished in time", id).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** A job body that "trains" three epochs of ten steps, sleeping between steps, and counts its runs. */
    static final class CountingRunner implements JobRunner {

        final Map<UUID, Integer> runs = new ConcurrentHashMap<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final long stepMillis;
        volatile StopReason lastStop;

        CountingRunner(Duration perEpoch) {
            this.stepMillis = Math.max(1, perEpoch.toMillis() / 10);
        }

        @Override
        public JobResult run(ClaimedJob job, JobContext context) throws Exception {
            runs.merge(job.id(), 1, Integer::sum);
            started.countDown();
            try {
                context.start(0, 3, 0, 30);
                for (int epoch = 1; epoch <= 3; epoch++) {
                    for (int s = 1; s <= 10; s++) {
                        Thread.sleep(stepMillis);
                        context.step((epoch - 1) * 10L + s);
                        StopReason stop = context.stopReason();
                        if (stop != null) {
                            lastStop = stop;
                            return new JobResult.Stopped(state(epoch - 1), epoch - 1);
                        }
                    }
                    context.epochEnd(new EpochMetrics(epoch, Map.of("loss", 1.0 / epoch), 0.01));
                }
                return new JobResult.Succeeded(QueueFixture.model(job.id()), null);
            } finally {
                finished.countDown();
            }
        }

        /** A small fit state that resumes after {@code epochs} epochs. */
        static TrainingState state(int epochs) {
            return new TrainingState(Map.of("w", new float[] {epochs}), new OptimizerState(epochs, new float[0][]),
                    epochs, 7L, Double.POSITIVE_INFINITY, 0);
        }
    }
}
