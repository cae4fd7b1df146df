package io.tapeflow.datasets;

import java.util.List;

/** A dataset's values before they are stored: row-major features and labels with their column names. */
record DatasetValues(int rows, List<String> featureNames, List<String> labelNames, float[] features, float[] labels) {

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
