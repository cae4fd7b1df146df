package io.tapeflow.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * A dataset's values before they are stored: row-major features and labels with their (expanded) column names, and
 * the raw columns they were encoded from.
 */
record DatasetValues(int rows, List<String> featureNames, List<String> labelNames, float[] features, float[] labels,
        List<Column> columns) {

    /** Values whose columns are all numeric, one stored column each: generated and inline data. */
    DatasetValues(int rows, List<String> featureNames, List<String> labelNames, float[] features, float[] labels) {
        this(rows, featureNames, labelNames, features, labels, numericColumns(featureNames, labelNames));
    }

    static List<Column> numericColumns(List<String> featureNames, List<String> labelNames) {
        List<Column> columns = new ArrayList<>(featureNames.size() + labelNames.size());
        for (String name : featureNames) {
            columns.add(Column.numeric(name, Column.FEATURE));
        }
        for (String name : labelNames) {
            columns.add(Column.numeric(name, Column.LABEL));
        }
        return List.copyOf(columns);
    }

    static List<String> defaultNames(String prefix, int count) {
        if (count == 1 && prefix.equals("y")) {
            return List.of("y");
        }
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + (i + 1);
        }
        return List.of(names);
    }
}
