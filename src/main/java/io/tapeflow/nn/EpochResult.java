package io.tapeflow.nn;

import java.util.Map;

/**
 * One finished epoch (1-based {@code epoch} of {@code epochs}). {@code metrics} holds {@code loss} and the metric
 * keys ({@code accuracy}, {@code mae}), plus {@code val_loss} and {@code val_…} when a validation split is held out;
 * {@code loss} is the row-weighted mean of the epoch's batch losses, as Keras reports it. {@code checkpoint} is the
 * state after this epoch.
 */
public record EpochResult(int epoch, int epochs, double loss, Map<String, Double> metrics, double seconds,
        TrainingState checkpoint) {
}
