package io.tapeflow.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics of one finished epoch, e.g. {@code loss}, {@code accuracy}, {@code val_loss}, and its duration. */
public record EpochMetrics(int epoch, Map<String, Double> metrics, double seconds) {

    public EpochMetrics {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // loss first, as the fit reports them
    }
}
