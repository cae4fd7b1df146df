package io.tapeflow.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tapeflow.engine.Rng;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * Splits a dataset's rows into train / (validation) / test parts, reproducibly:
 * <ol>
 * <li>the row indices are shuffled by a Fisher–Yates permutation from {@link Rng}{@code (seed)};</li>
 * <li>the first {@code n·f_train} shuffled rows go to train, the next {@code n·f_validation} to validation, the
 * rest to test, the counts rounded by largest remainder (ties to the earlier part) so they add up to n;</li>
 * <li>stratified: the same within each class of the label, classes in ascending label value, one generator for all
 * of them in that order, so each part keeps the class proportions;</li>
 * <li>each part keeps its rows in the parent's order.</li>
 * </ol>
 */
final class DatasetSplits {

    static final List<String> PARTS = List.of("train", "validation", "test");
    private static final double SUM_TOLERANCE = 1e-9;
    private static final int NAME_LIMIT = 200;

    private DatasetSplits() {
    }

    /** The fractions checked and in part order: train, (validation,) test. */
    static Map<String, Double> fractions(Map<String, Double> given) {
        List<FieldProblem> problems = new ArrayList<>();
        for (String part : given.keySet()) {
            if (!PARTS.contains(part)) {
                problems.add(new FieldProblem("fractions." + part,
                        "is not a part; the parts are train and test, or train, validation and test"));
            }
        }
        if (problems.isEmpty() && !(given.containsKey("train") && given.containsKey("test"))) {
            problems.add(new FieldProblem("fractions", "must give train and test (and optionally validation), got "
                    + given.keySet()));
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        double sum = 0;
        for (String part : PARTS) {
            if (given.containsKey(part)) {
                Double f = given.get(part);
                if (f == null || !Double.isFinite(f) || f <= 0 || f >= 1) {
                    problems.add(new FieldProblem("fractions." + part, "must be a number > 0 and < 1, got " + f));
                } else {
                    ordered.put(part, f);
                    sum += f;
                }
            }
        }
        if (problems.isEmpty() && Math.abs(sum - 1) > SUM_TOLERANCE) {
            problems.add(new FieldProblem("fractions", "must sum to 1 (within 1e-9), got " + sum));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems);
        }
        return ordered;
    }

    /** Stratifying needs classes: one label column, categorical, boolean or numeric with whole values. */
    static void checkStratifiable(DatasetData data) {
        if (data.labelCount() != 1) {
            throw ApiException.badRequest("stratify", "needs exactly one label column; this dataset has "
                    + data.labelCount() + " " + data.labelNames());
        }
        float[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != Math.rint(labels[i])) {
                throw ApiException.badRequest("stratify", "needs classes, but the label '" + data.labelNames().get(0)
                        + "' is numeric with non-integer values (row " + i + ": " + labels[i] + ")");
            }
        }
    }

    /** {@code <parent name> (part)}, the parent's name shortened if the whole would not fit the name column. */
    static String partName(String parent, String part) {
        String suffix = " (" + part + ")";
        if (parent.length() + suffix.length() <= NAME_LIMIT) {
            return parent + suffix;
        }
        return parent.substring(0, NAME_LIMIT - suffix.length() - 1) + "…" + suffix;
    }

    /** The parts' values in the order of {@code fractions}; a part that would have no rows is a 400. */
    static List<DatasetValues> split(DatasetData data, Map<String, Double> fractions, long seed, boolean stratify) {
        double[] f = new double[fractions.size()];
        int p = 0;
        for (double fraction : fractions.values()) {
            f[p++] = fraction;
        }
        int[][] rows = stratify ? stratified(data.labels(), f, new Rng(seed)) : plain(data.rows(), f, new Rng(seed));
        List<String> names = new ArrayList<>(fractions.keySet());
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length == 0) {
                problems.add(new FieldProblem("fractions." + names.get(i), "gives no rows: " + data.rows()
                        + " rows × " + f[i] + (stratify ? " per class" : "") + " rounds to 0"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems);
        }
        List<DatasetValues> parts = new ArrayList<>(rows.length);
        for (int[] part : rows) {
            Arrays.sort(part);
            parts.add(select(data, part));
        }
        return parts;
    }

    private static int[][] plain(int n, double[] f, Rng rng) {
        int[] order = new int[n];
        rng.permutation(order);
        return cut(order, counts(n, f));
    }

    private static int[][] stratified(float[] labels, double[] f, Rng rng) {
        int n = labels.length;
        float[] classes = distinct(labels);
        int[] classOf = new int[n];
        int[] sizes = new int[classes.length];
        for (int i = 0; i < n; i++) {
            classOf[i] = Arrays.binarySearch(classes, labels[i] + 0f); // -0 is class 0
            sizes[classOf[i]]++;
        }
        int[][] members = new int[classes.length][];
        for (int c = 0; c < classes.length; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] filled = new int[classes.length];
        for (int i = 0; i < n; i++) {
            members[classOf[i]][filled[classOf[i]]++] = i;
        }
        int[][] counts = new int[classes.length][];
        int[] totals = new int[f.length];
        for (int c = 0; c < classes.length; c++) {
            counts[c] = counts(sizes[c], f);
            for (int p = 0; p < f.length; p++) {
                totals[p] += counts[c][p];
            }
        }
        int[][] parts = new int[f.length][];
        int[] at = new int[f.length];
        for (int p = 0; p < f.length; p++) {
            parts[p] = new int[totals[p]];
        }
        for (int c = 0; c < classes.length; c++) {
            int[] shuffle = new int[sizes[c]];
            rng.permutation(shuffle);
            int from = 0;
            for (int p = 0; p < f.length; p++) {
                for (int j = 0; j < counts[c][p]; j++) {
                    parts[p][at[p]++] = members[c][shuffle[from++]];
                }
            }
        }
        return parts;
    }

    private static int[][] cut(int[] order, int[] counts) {
        int[][] parts = new int[counts.length][];
        int from = 0;
        for (int p = 0; p < counts.length; p++) {
            parts[p] = Arrays.copyOfRange(order, from, from + counts[p]);
            from += counts[p];
        }
        return parts;
    }

    /** Largest-remainder rounding of {@code n·f}: floors first, then one more for the largest remainders. */
    static int[] counts(int n, double[] f) {
        int[] counts = new int[f.length];
        double[] remainder = new double[f.length];
        int given = 0;
        for (int p = 0; p < f.length; p++) {
            double quota = n * f[p];
            counts[p] = (int) Math.floor(quota);
            remainder[p] = quota - counts[p];
            given += counts[p];
        }
        for (int left = n - given; left > 0; left--) {
            int best = 0;
            for (int p = 1; p < f.length; p++) {
                if (remainder[p] > remainder[best]) {
                    best = p;
                }
            }
            counts[best]++;
            remainder[best] = -1;
        }
        return counts;
    }

    private static float[] distinct(float[] labels) {
        float[] sorted = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            sorted[i] = labels[i] + 0f; // -0 + 0 = +0: one class for both zeros
        }
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[k - 1]) {
                sorted[k++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, k);
    }

    /** The given rows of the parent, copied once from its blocks, with the parent's columns. */
    private static DatasetValues select(DatasetData data, int[] rows) {
        int k = data.featureCount();
        int m = data.labelCount();
        float[] features = new float[rows.length * k];
        float[] labels = new float[rows.length * m];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data.features(), rows[i] * k, features, i * k, k);
            System.arraycopy(data.labels(), rows[i] * m, labels, i * m, m);
        }
        return new DatasetValues(rows.length, data.featureNames(), data.labelNames(), features, labels,
                data.columns());
    }
}
