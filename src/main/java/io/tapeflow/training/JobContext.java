package io.tapeflow.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.tapeflow.nn.TrainingState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * A running job's line to the database, handed to its {@link JobRunner}. Steps and epochs are cheap to report: the
 * context writes progress at most every {@code progressInterval} (fenced by the lease token), and epochs finished in
 * between are written with the next write or with the final one. Every write also learns whether a cancel is
 * pending or the lease was lost; the runner polls {@link #stopReason()} between steps.
 *
 * <p>Used by the worker thread that runs the job, plus the heartbeat thread through {@link #requestStop}.
 */
public final class JobContext {

    private static final Logger log = LoggerFactory.getLogger(JobContext.class);

    private final ClaimedJob job;
    private final TrainingJobRepository jobs;
    private final long progressIntervalNanos;
    private final long checkpointIntervalNanos;
    private final long deadlineNanos;
    private final LongAdder stepsDone;

    private final List<EpochMetrics> unwritten = new ArrayList<>();
    private Map<String, Double> latest = Map.of();
    private int epoch;
    private int epochs;
    private long step;
    private long steps;
    private Double stepsPerSecond;
    private long lastWriteNanos;
    private long lastWriteStep;
    private long lastCheckpointNanos;
    private long startNanos;
    private long startStep;
    private volatile StopReason stopReason;

    JobContext(ClaimedJob job, TrainingJobRepository jobs, TrainingProperties settings, LongAdder stepsDone) {
        this.job = job;
        this.jobs = jobs;
        this.progressIntervalNanos = settings.progressInterval().toNanos();
        this.checkpointIntervalNanos = settings.checkpointInterval().toNanos();
        long now = System.nanoTime();
        this.deadlineNanos = now + job.maxRuntimeSeconds() * 1_000_000_000L;
        this.lastWriteNanos = now;
        this.lastCheckpointNanos = now;
        this.stepsDone = stepsDone;
    }

    public ClaimedJob job() {
        return job;
    }

    /** Sets the totals and where the run starts (a resumed run starts after its checkpoint's epoch). */
    public void start(int completedEpochs, int totalEpochs, long completedSteps, long totalSteps) {
        this.epoch = completedEpochs;
        this.epochs = totalEpochs;
        this.step = completedSteps;
        this.steps = totalSteps;
        this.lastWriteStep = completedSteps;
        this.startStep = completedSteps;
        this.startNanos = System.nanoTime();
        this.lastWriteNanos = startNanos;
    }

    /** One more mini-batch done; {@code globalStep} counts from the start of the whole run. */
    public void step(long globalStep) {
        stepsDone.add(globalStep - step);
        step = globalStep;
        if (System.nanoTime() - lastWriteNanos >= progressIntervalNanos) {
            write();
        }
    }

    /** An epoch finished (1-based {@code metrics.epoch()}); written now unless the last write was very recent. */
    public void epochEnd(EpochMetrics metrics) {
        epoch = metrics.epoch();
        latest = metrics.metrics();
        unwritten.add(metrics);
        if (System.nanoTime() - lastWriteNanos >= progressIntervalNanos) {
            write();
        }
    }

    /** Null while the run may go on; otherwise why it must stop now. */
    public StopReason stopReason() {
        if (stopReason == null && System.nanoTime() - deadlineNanos > 0) {
            requestStop(StopReason.TIMED_OUT);
        }
        return stopReason;
    }

    public boolean checkpointDue() {
        return System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos;
    }

    /** The state an earlier attempt's checkpoint saved, or null when the job starts from scratch. */
    public TrainingState resumeFrom() {
        return job.checkpointEpoch() == null ? null : jobs.readCheckpoint(job.id()).orElse(null);
    }

    /** Saves the state to resume from after {@code completedEpochs}; a lost lease turns into a stop request. */
    public void checkpoint(TrainingState state, int completedEpochs) {
        lastCheckpointNanos = System.nanoTime();
        try {
            if (!jobs.writeCheckpoint(job.id(), job.leaseToken(), state, completedEpochs)) {
                requestStop(StopReason.LEASE_LOST);
            }
        } catch (DataAccessException e) {
            log.warn("Checkpoint of job {} not written, will try again: {}", job.id(), e.getMessage());
        }
    }

    /**
     * The first reason wins, except that a lost lease overrides everything (then nothing may be written) and any
     * reason overrides a stop-and-keep.
     */
    void requestStop(StopReason reason) {
        if (stopReason == null || stopReason == StopReason.STOPPED || reason == StopReason.LEASE_LOST) {
            stopReason = reason;
        }
    }

    /** What a fenced write or heartbeat learnt, as a stop request: a cancel or a stop-and-keep pending. */
    void requestStop(LeaseStatus status) {
        switch (status) {
            case LOST -> requestStop(StopReason.LEASE_LOST);
            case CANCEL_REQUESTED -> requestStop(StopReason.CANCELLED);
            case STOP_REQUESTED -> requestStop(StopReason.STOPPED);
            case HELD -> {
            }
        }
    }

    Progress progress() {
        return new Progress(epoch, epochs, step, steps, stepsPerSecond);
    }

    /** Progress for the final write, with the speed of the whole run rather than of its last moments. */
    Progress finalProgress() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (seconds <= 0 || step <= startStep) {
            return progress(); // no step ran in this attempt (e.g. its dataset was gone)
        }
        return new Progress(epoch, epochs, step, steps, (step - startStep) / seconds);
    }

    Map<String, Double> latest() {
        return latest;
    }

    /** The epochs not yet written; the caller writes them with the job's final state. */
    List<EpochMetrics> unwrittenEpochs() {
        return List.copyOf(unwritten);
    }

    Double stepsPerSecond() {
        return stepsPerSecond;
    }

    private void write() {
        long now = System.nanoTime();
        double seconds = (now - lastWriteNanos) / 1e9;
        if (seconds > 0 && step > lastWriteStep) {
            stepsPerSecond = (step - lastWriteStep) / seconds;
        }
        lastWriteNanos = now;
        lastWriteStep = step;
        try {
            LeaseStatus status = jobs.writeProgress(job.id(), job.leaseToken(), progress(), latest, unwritten);
            if (status == LeaseStatus.LOST) {
                requestStop(StopReason.LEASE_LOST);
            } else {
                unwritten.clear();
                requestStop(status);
            }
        } catch (DataAccessException e) {
            // The rows stay buffered for the next write; a database that stays away costs the lease, not the job.
            log.warn("Progress of job {} not written, will try again: {}", job.id(), e.getMessage());
        }
    }
}
