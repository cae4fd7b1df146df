package io.tapeflow.training;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.tapeflow.engine.MatMulKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * The worker threads of one replica (docs/architecture.md §3). Each worker claims a job from the database, runs it and writes
 * the outcome, fenced by its lease; a housekeeping thread renews the leases of running jobs every lease/3 and
 * reaps expired leases of any replica. No transaction stays open while a job trains (but for the start-up
 * warm-up's {@link #rehearse rehearsals}, which hold only rows no one else sees).
 *
 * <p>On shutdown the pool stops claiming, asks running jobs to stop, and gives them back to the queue with their
 * checkpoint, so another replica (or this one after a restart) continues them.
 */
public class TrainingWorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingWorkerPool.class);

    private final TrainingJobRepository jobs;
    private final JobRunner runner;
    private final Runnable claimed;
    private final TrainingProperties settings;
    private final String replicaId;
    private final Map<UUID, JobContext> running = new ConcurrentHashMap<>();
    private final LongAdder stepsDone = new LongAdder();

    /**
     * A rehearsed job writes its progress this often, so that the step loop C2 compiles from the rehearsals has its
     * progress-write branch: a rehearsal (tens of milliseconds) never reached the 250 ms default, nor did a warm
     * rings job (0.2 s), and the first job to take longer deoptimized the loop, it and the next ran at 0.28–0.30 s.
     */
    private static final Duration REHEARSAL_PROGRESS_INTERVAL = Duration.ofMillis(5);
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final Object wakeUp = new Object();
    private final Object outcomeWritten = new Object();

    private ExecutorService workers;
    private ScheduledExecutorService housekeeping;
    private volatile boolean accepting;

    public TrainingWorkerPool(TrainingJobRepository jobs, JobRunner runner, TrainingProperties settings) {
        this(jobs, runner, settings, () -> { });
    }

    /** {@code claimed} runs on the worker that has just claimed a job, before the job starts. */
    TrainingWorkerPool(TrainingJobRepository jobs, JobRunner runner, TrainingProperties settings, Runnable claimed) {
        this.jobs = jobs;
        this.claimed = claimed;
        this.runner = runner;
        this.settings = settings;
        this.replicaId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString()
                .substring(0, 8);
        // Loads the kernels now, if the training warm-up has not: their JIT warm-up thread then runs while the rest
        // of the service starts, not during the first job.
        MatMulKernels.vectorized();
    }

    @Override
    public synchronized void start() {
        if (accepting) {
            return;
        }
        accepting = true;
        int size = settings.effectiveWorkers();
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(size, r -> daemon(r, "tapeflow-worker-" + n.incrementAndGet()));
        for (int i = 0; i < size; i++) {
            String owner = replicaId + "#" + (i + 1);
            workers.execute(() -> work(owner));
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tapeflow-leases"));
        long beat = Math.max(1, settings.lease().toMillis() / 3);
        housekeeping.scheduleWithFixedDelay(this::heartbeats, beat, beat, TimeUnit.MILLISECONDS);
        long reap = settings.reaperInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::reap, reap, reap, TimeUnit.MILLISECONDS);
        log.info("Training worker pool {} started with {} workers; matmul kernel: {}", replicaId, size,
                MatMulKernels.vectorized() ? "jdk.incubator.vector"
                        : "portable (start the JVM with --add-modules jdk.incubator.vector for the SIMD kernel)");
    }

    @Override
    public void stop() {
        ExecutorService stopping;
        synchronized (this) {
            if (!accepting) {
                return;
            }
            accepting = false;
            stopping = workers;
        }
        running.values().forEach(c -> c.requestStop(StopReason.SHUTDOWN));
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Jobs {} did not stop within {}; their leases will expire and the reaper re-queues them",
                        running.keySet(), settings.shutdownGrace());
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.shutdownNow();
        log.info("Training worker pool {} stopped", replicaId);
    }

    @Override
    public boolean isRunning() {
        return accepting;
    }

    /** Wakes an idle worker: a job was just queued on this replica. */
    public void jobQueued() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Tells this replica's worker running the job, if any, to stop at once rather than at its next write. */
    public void cancelRequested(UUID jobId) {
        JobContext c = running.get(jobId);
        if (c != null) {
            c.requestStop(StopReason.CANCELLED);
        }
    }

    /** Tells this replica's worker running the job, if any, to end it at its next epoch boundary and keep it. */
    public void stopRequested(UUID jobId) {
        JobContext c = running.get(jobId);
        if (c != null) {
            c.requestStop(StopReason.STOPPED);
        }
    }

    /** Ready while claiming, with every worker thread alive. */
    public boolean healthy() {
        return accepting && liveWorkers.get() == settings.effectiveWorkers();
    }

    public int size() {
        return settings.effectiveWorkers();
    }

    public int busyWorkers() {
        return running.size();
    }

    /** Mini-batches trained on this replica since it started. */
    public long stepsDone() {
        return stepsDone.sum();
    }

    /** The sum of the recent speeds of the jobs running here. */
    public double stepsPerSecond() {
        double sum = 0;
        for (JobContext c : running.values()) {
            Double s = c.stepsPerSecond();
            sum += s == null ? 0 : s;
        }
        return sum;
    }

    private void work(String owner) {
        liveWorkers.incrementAndGet();
        try {
            while (accepting) {
                Optional<ClaimedJob> claimed = claim(owner);
                if (claimed.isPresent()) {
                    run(claimed.get());
                } else {
                    idle();
                }
            }
        } catch (Error e) {
            // A worker that dies shrinks the pool, and readiness reports it: see healthy().
            log.error("Training worker {} died", owner, e);
            throw e;
        } finally {
            liveWorkers.decrementAndGet();
        }
    }

    private Optional<ClaimedJob> claim(String owner) {
        try {
            return jobs.claim(owner, settings.lease());
        } catch (DataAccessException e) {
            log.warn("Claiming failed, will try again: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void idle() {
        synchronized (wakeUp) {
            if (!accepting) {
                return;
            }
            try {
                wakeUp.wait(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                accepting = false;
            }
        }
    }

    private void run(ClaimedJob job) {
        log.info("Job {} claimed: attempt {}, lease {}, {}", job.id(), job.attempt(), job.leaseToken(),
                job.checkpointEpoch() == null ? "from the start" : "resuming after epoch " + job.checkpointEpoch());
        claimed.run();
        JobContext context = new JobContext(job, jobs, settings, stepsDone);
        running.put(job.id(), context);
        try {
            JobResult result;
            try {
                result = runner.run(job, context);
            } catch (DataAccessException e) {
                // Transient: stop renewing the lease and let the reaper give the job another attempt.
                log.warn("Job {} lost its database connection; it will be retried: {}", job.id(), e.getMessage());
                return;
            } catch (VirtualMachineError e) {
                // Out of memory or stack in one job: the job ends, its arrays become garbage, and the worker goes on.
                log.error("Job {} exhausted the JVM's resources", job.id(), e);
                result = new JobResult.Failed("RESOURCE_EXHAUSTED", "Training stopped: the job needed more "
                        + (e instanceof StackOverflowError ? "stack" : "memory") + " than this replica has ("
                        + e.getClass().getSimpleName() + "); use a smaller model, batch size or dataset", null);
            } catch (Exception | Error e) {
                log.error("Job {} failed unexpectedly", job.id(), e);
                result = new JobResult.Failed("INTERNAL_ERROR",
                        "Training stopped on an unexpected error: " + e.getClass().getSimpleName(), null);
            }
            finishWhenTheDatabaseAnswers(job, context, result);
        } catch (RuntimeException e) {
            log.error("Outcome of job {} not written", job.id(), e);
            failQuietly(job, context);
        } finally {
            running.remove(job.id());
        }
    }

    /**
     * A finished result is worth waiting for: through a database outage the fenced final write is retried (the
     * fence makes a late write harmless) until it lands, the lease turns out lost, or the wait exceeds ten leases;
     * only then does the job fall back to the reaper and run again from its checkpoint.
     */
    private void finishWhenTheDatabaseAnswers(ClaimedJob job, JobContext context, JobResult result) {
        long giveUp = System.nanoTime() + settings.lease().toNanos() * 10;
        long pause = 100;
        while (true) {
            try {
                finish(job, context, result);
                return;
            } catch (DataAccessException e) {
                if (System.nanoTime() - giveUp > 0 || context.stopReason() == StopReason.LEASE_LOST) {
                    log.warn("Outcome of job {} not written; the reaper will retry it: {}", job.id(), e.getMessage());
                    return;
                }
                log.warn("Outcome of job {} not written yet, trying again: {}", job.id(), e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = Math.min(pause * 2, 1000);
            }
        }
    }

    private void finish(ClaimedJob job, JobContext context, JobResult result) {
        UUID id = job.id();
        StopReason reason = context.stopReason();
        if (!write(job, context, result, reason)) {
            log.warn("Job {} is held by another worker now; this worker's result was discarded", id);
        } else {
            log.info("Job {} {} under lease {}", id, outcome(result, reason), job.leaseToken());
            synchronized (outcomeWritten) {
                outcomeWritten.notifyAll();
            }
        }
    }

    /** The job's fenced outcome write, for the stop {@code reason} read once; false if the lease was lost. */
    private boolean write(ClaimedJob job, JobContext context, JobResult result, StopReason reason) {
        UUID id = job.id();
        UUID token = job.leaseToken();
        boolean written;
        if (reason == StopReason.LEASE_LOST) {
            written = false;
        } else if (result instanceof JobResult.Succeeded s) {
            written = jobs.succeed(id, token, context.finalProgress(), context.latest(), context.unwrittenEpochs(),
                    s.model(), s.validation(), s.stoppedEarly(), s.carried());
        } else if (result instanceof JobResult.Failed f) {
            written = jobs.fail(id, token, context.finalProgress(), context.latest(), context.unwrittenEpochs(), f.code(),
                    f.message(), f.epoch());
        } else {
            JobResult.Stopped stopped = (JobResult.Stopped) result;
            written = switch (reason == null ? StopReason.SHUTDOWN : reason) {
                case CANCELLED -> jobs.cancelled(id, token, context.finalProgress(), context.latest(),
                        context.unwrittenEpochs());
                case TIMED_OUT -> jobs.fail(id, token, context.finalProgress(), context.latest(),
                        context.unwrittenEpochs(), "TIMED_OUT",
                        "The job ran longer than its maxRuntimeSeconds (" + job.maxRuntimeSeconds() + " s)", null);
                // STOPPED ends in a Succeeded result; a Stopped one under it has nothing to keep yet: re-queued.
                case SHUTDOWN, LEASE_LOST, STOPPED -> jobs.release(id, token, context.finalProgress(), context.latest(),
                        context.unwrittenEpochs(), stopped.checkpoint(), stopped.checkpointEpoch());
            };
        }
        return written;
    }

    /**
     * A worker's way with {@code job} — marked claimed, trained with its progress writes, its outcome written —
     * inside {@link TrainingJobRepository#rehearse}, whose transaction is rolled back: for the start-up warm-up, as
     * the first job's outcome write took 90 ms (its epochs, its model) against 7 ms for the third job's, and the
     * warm-up may leave nothing behind. Unlike a claimed job's, it has no log line, lease renewal, step count or
     * long-poll wake-up, and nothing stops it before its end.
     */
    void rehearse(NewJob job) {
        TrainingProperties often = settings.withProgressInterval(REHEARSAL_PROGRESS_INTERVAL);
        jobs.rehearse(job, replicaId + "#warm-up", settings.lease(), claimed -> {
            JobContext context = new JobContext(claimed, jobs, often, new LongAdder());
            JobResult result;
            try {
                result = runner.run(claimed, context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("The rehearsed job failed: " + e, e);
            }
            write(claimed, context, result, context.stopReason());
        });
    }

    /**
     * Waits at most {@code millis} for a worker of this replica to write a job's outcome (any job's): a long poll
     * re-reads its job then, instead of finding out at its next poll of the database (jobs of other replicas).
     */
    public void awaitOutcome(long millis) throws InterruptedException {
        synchronized (outcomeWritten) {
            outcomeWritten.wait(millis);
        }
    }

    private static String outcome(JobResult result, StopReason reason) {
        if (result instanceof JobResult.Succeeded) {
            return "SUCCEEDED";
        }
        if (result instanceof JobResult.Failed f) {
            return "FAILED (" + f.code() + ")";
        }
        return switch (reason == null ? StopReason.SHUTDOWN : reason) {
            case CANCELLED -> "CANCELLED";
            case TIMED_OUT -> "FAILED (TIMED_OUT)";
            case SHUTDOWN, LEASE_LOST, STOPPED -> "released to the queue";
        };
    }

    /** A bug on the way out fails the job now instead of letting its lease expire attempt after attempt. */
    private void failQuietly(ClaimedJob job, JobContext context) {
        try {
            jobs.fail(job.id(), job.leaseToken(), context.progress(), Map.of(), List.of(), "INTERNAL_ERROR",
                    "The job's outcome could not be recorded; see the service log", null);
        } catch (RuntimeException e) {
            log.warn("Job {} could not be failed either; the reaper will deal with it: {}", job.id(), e.getMessage());
        }
    }

    private void heartbeats() {
        Duration lease = settings.lease();
        for (JobContext c : running.values()) {
            try {
                c.requestStop(jobs.heartbeat(c.job().id(), c.job().leaseToken(), lease));
            } catch (DataAccessException e) {
                log.warn("Heartbeat of job {} failed: {}", c.job().id(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("Heartbeat of job {} failed", c.job().id(), e);
            }
        }
    }

    private void reap() {
        try {
            int n = jobs.reapExpiredLeases(settings.retryBackoff());
            if (n > 0) {
                log.info("Reaped {} jobs whose worker stopped renewing its lease", n);
                jobQueued();
            }
        } catch (RuntimeException e) {
            log.warn("Reaping expired leases failed: {}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
