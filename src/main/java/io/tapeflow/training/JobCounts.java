package io.tapeflow.training;

import java.util.Map;

/**
 * Job counts for the metrics gauges, read from the database at most once a second however often they are scraped.
 */
final class JobCounts {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final TrainingJobRepository jobs;
    private Map<JobState, Long> byState = Map.of();
    private long queueDepth;
    private long readAt = System.nanoTime() - 2 * MAX_AGE_NANOS;

    JobCounts(TrainingJobRepository jobs) {
        this.jobs = jobs;
    }

    synchronized double count(JobState state) {
        refresh();
        return byState.getOrDefault(state, 0L);
    }

    synchronized double queueDepth() {
        refresh();
        return queueDepth;
    }

    private void refresh() {
        if (System.nanoTime() - readAt < MAX_AGE_NANOS) {
            return;
        }
        try {
            byState = jobs.countByState();
            queueDepth = jobs.queueDepth();
        } catch (RuntimeException e) {
            // keep the last values: a metrics scrape must not fail because the database blinked
        }
        readAt = System.nanoTime();
    }
}
