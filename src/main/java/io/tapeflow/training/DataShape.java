package io.tapeflow.training;

import java.util.List;

import io.tapeflow.datasets.DatasetData;

/**
 * What validation needs to know about a job's dataset: its size, its labels to check them against the loss, and
 * its class names when the label column is categorical (null otherwise).
 */
record DataShape(int rows, int features, int outputs, float[] labels, List<String> labelNames,
        List<String> classNames) {

    /** Numeric label columns {@code y1, y2, ...} without class names. */
    DataShape(int rows, int features, int outputs, float[] labels) {
        this(rows, features, outputs, labels, java.util.stream.IntStream.rangeClosed(1, outputs)
                .mapToObj(i -> "y" + i).toList(), null);
    }

    static DataShape of(DatasetData data) {
        return new DataShape(data.rows(), data.featureCount(), data.labelCount(), data.labels(), data.labelNames(),
                data.classNames());
    }
}
