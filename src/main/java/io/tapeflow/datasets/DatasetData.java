package io.tapeflow.datasets;

import java.util.List;
import java.util.UUID;

/**
 * A dataset's full contents, as the training jobs consume them. {@code features} is row-major
 * {@code rows × featureNames.size()}, {@code labels} row-major {@code rows × labelNames.size()}; every value is finite.
 * The arrays are fresh copies owned by the caller.
 *
 * @param sourceType {@code linear}, {@code rings}, {@code inline} or {@code csv}
 */
public record DatasetData(UUID id, String name, String sourceType, int rows, List<String> featureNames,
        List<String> labelNames, float[] features, float[] labels) {

    public int featureCount() {
        return featureNames.size();
    }

    public int labelCount() {
        return labelNames.size();
    }
}
