package io.tapeflow.training;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tapeflow.training.*} settings: the worker pool, its leases and the per-job limits.
 *
 * @param workers            worker threads per replica; 0 means one per available core
 * @param lease              how long a claim stays valid without a heartbeat; heartbeats come every lease/3
 * @param maxAttempts        claims a job may use before a lost worker ends it {@code FAILED/WORKER_LOST}
 * @param retryBackoff       delay before a job whose worker was lost runs again, doubled per attempt
 * @param pollInterval       how often an idle worker looks for a queued job (a local submit wakes it at once)
 * @param reaperInterval     how often each replica re-queues jobs whose lease expired
 * @param progressInterval   the least time between two progress writes of one job
 * @param checkpointInterval the least time between two checkpoints of one job
 * @param shutdownGrace      how long a graceful shutdown waits for running jobs to checkpoint and let go
 * @param limits             what a single job may ask for
 */
@ConfigurationProperties("tapeflow.training")
public record TrainingProperties(
        @DefaultValue("0") int workers,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("5s") Duration reaperInterval,
        @DefaultValue("250ms") Duration progressInterval,
        @DefaultValue("5s") Duration checkpointInterval,
        @DefaultValue("20s") Duration shutdownGrace,
        @DefaultValue Limits limits) {

    /**
     * @param maxEpochs                 epochs per job
     * @param maxBatchSize              rows per mini-batch
     * @param maxHiddenLayers           hidden layers of an {@code mlp}
     * @param maxHiddenWidth            units in one hidden layer
     * @param maxRuntimeSeconds         the default and the ceiling of a job's {@code maxRuntimeSeconds}
     * @param maxWork                   budget: rows × epochs × parameters a job may cost (multiply-adds, roughly)
     * @param maxMemoryBytes            budget: parameters, optimizer state, activations, data and checkpoint
     *                                  buffers in memory; never more than the heap can give one job
     *                                  ({@link #memoryBudget()})
     * @param maxClasses                classes a softmax model may learn (its output width)
     * @param maxCheckpointBytes        budget: the bytes of one checkpoint (parameters and optimizer slots), which
     *                                  the database rewrites every {@code checkpoint-interval}
     * @param maxExpectedSeconds        budget: the pre-flight estimate of a job's running time
     * @param estimatedWorkPerSecond    the throughput the pre-flight estimate assumes (work units per second)
     */
    public record Limits(
            @DefaultValue("10000") int maxEpochs,
            @DefaultValue("65536") int maxBatchSize,
            @DefaultValue("16") int maxHiddenLayers,
            @DefaultValue("4096") int maxHiddenWidth,
            @DefaultValue("100") int maxClasses,
            @DefaultValue("3600") int maxRuntimeSeconds,
            @DefaultValue("2000000000000") long maxWork,
            @DefaultValue("1073741824") long maxMemoryBytes,
            @DefaultValue("67108864") long maxCheckpointBytes,
            @DefaultValue("3600") long maxExpectedSeconds,
            @DefaultValue("500000000") long estimatedWorkPerSecond) {
    }

    /**
     * The memory one job may use: the configured budget, but at most an equal share of the heap among the workers
     * and the rest of the service, so that a job priced as within budget cannot run the JVM (and the embedded
     * database's buffers, which live in the same heap) out of memory.
     */
    public long memoryBudget() {
        return Math.min(limits.maxMemoryBytes(), Runtime.getRuntime().maxMemory() / (effectiveWorkers() + 1));
    }

    /** These settings with another {@code progressInterval}. */
    TrainingProperties withProgressInterval(Duration interval) {
        return new TrainingProperties(workers, lease, maxAttempts, retryBackoff, pollInterval, reaperInterval, interval,
                checkpointInterval, shutdownGrace, limits);
    }

    /** The pool size this replica runs: the configured one, or one worker per core. */
    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
