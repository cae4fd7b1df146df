package io.tapeflow.nn;

import java.util.Map;

/**
 * A checkpoint of a fit at an epoch boundary, as plain values: parameters by name, the optimizer's state, the next
 * epoch to run (0-based), the shuffle generator's state and the early-stopping counters. Resuming a fit from it gives
 * bit-identical parameters to a run that was never interrupted.
 */
public record TrainingState(Map<String, float[]> parameters, OptimizerState optimizer, int nextEpoch, long rngState,
        double bestMonitored, int epochsWithoutImprovement) {
}
