package io.tapeflow.datasets;

import java.util.List;
import java.util.UUID;

/**
 * A dataset's full contents, as the training jobs consume them. {@code features} is row-major
 * {@code rows × featureNames.size()}, {@code labels} row-major {@code rows × labelNames.size()}; every value is finite.
 * The arrays are fresh copies owned by the caller.
 *
 * <p>{@code featureNames} name the stored (expanded) float columns: a categorical feature {@code colour} becomes
 * {@code colour_blue}, {@code colour_red}, … (see {@link ColumnEncoding}). {@code columns} are the raw columns in
 * file order, features and labels, with their types, vocabularies and fills: the feature block is the feature
 * columns in that order, each {@link ColumnEncoding#width} wide; label block column j is the column named
 * {@code labelNames.get(j)} (a label is always one float wide).
 *
 * @param sourceType {@code linear}, {@code rings}, {@code inline}, {@code csv} or {@code split}
 */
public record DatasetData(UUID id, String name, String sourceType, int rows, List<String> featureNames,
        List<String> labelNames, float[] features, float[] labels, List<Column> columns) {

    public int featureCount() {
        return featureNames.size();
    }

    public int labelCount() {
        return labelNames.size();
    }

    /** The class names of the single label column when it is categorical (index = class), else null. */
    public List<String> classNames() {
        return classNames(columns);
    }

    static List<String> classNames(List<Column> columns) {
        Column label = null;
        for (Column column : columns) {
            if (column.isLabel()) {
                if (label != null) {
                    return null;
                }
                label = column;
            }
        }
        return label != null && label.type() == ColumnType.CATEGORICAL ? label.categories() : null;
    }
}
