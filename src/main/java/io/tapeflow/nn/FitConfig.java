package io.tapeflow.nn;

import java.util.List;
import java.util.Objects;

/**
 * Everything a fit needs besides the model and the data. {@code validationSplit} holds out the last fraction of the
 * rows (like Keras); {@code earlyStopping} may be null; {@code seed} drives the per-epoch shuffles.
 */
public record FitConfig(Loss loss, OptimizerConfig optimizer, List<Metric> metrics, int epochs, int batchSize,
        boolean shuffle, long seed, float validationSplit, EarlyStopping earlyStopping, ExecutionMode execution) {

    public FitConfig {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(execution, "execution");
        metrics = List.copyOf(metrics);
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (!(validationSplit >= 0f && validationSplit < 1f)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + validationSplit);
        }
        if (earlyStopping != null && "val_loss".equals(earlyStopping.monitor()) && validationSplit == 0f) {
            throw new IllegalArgumentException("earlyStopping monitors val_loss but validationSplit is 0");
        }
    }

    /** A config with the loss's usual metric, shuffling, no validation, no early stopping, eager execution. */
    public static FitConfig of(Loss loss, OptimizerConfig optimizer, int epochs, int batchSize, long seed) {
        return new FitConfig(loss, optimizer, List.of(Metric.forLoss(loss)), epochs, batchSize, true, seed, 0f, null,
                ExecutionMode.EAGER);
    }

    public FitConfig withValidationSplit(float split) {
        return new FitConfig(loss, optimizer, metrics, epochs, batchSize, shuffle, seed, split, earlyStopping,
                execution);
    }

    public FitConfig withEarlyStopping(EarlyStopping stopping) {
        return new FitConfig(loss, optimizer, metrics, epochs, batchSize, shuffle, seed, validationSplit, stopping,
                execution);
    }

    public FitConfig withExecution(ExecutionMode mode) {
        return new FitConfig(loss, optimizer, metrics, epochs, batchSize, shuffle, seed, validationSplit,
                earlyStopping, mode);
    }

    public FitConfig withEpochs(int count) {
        return new FitConfig(loss, optimizer, metrics, count, batchSize, shuffle, seed, validationSplit,
                earlyStopping, execution);
    }

    public FitConfig withShuffle(boolean on) {
        return new FitConfig(loss, optimizer, metrics, epochs, batchSize, on, seed, validationSplit, earlyStopping,
                execution);
    }
}
