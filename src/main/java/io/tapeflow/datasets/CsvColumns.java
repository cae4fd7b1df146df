package io.tapeflow.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tapeflow.web.FieldProblem;

/**
 * Types one CSV column from its cells and computes its fill: numeric if every present cell is a number by the CSV
 * number rules (NaN and the infinities count as numbers here so that they are refused as not finite rather than
 * turning the column categorical), boolean if every present cell is true/false in any case, otherwise categorical.
 */
final class CsvColumns {

    /** Stripped cell text by (row, column). */
    interface Cells {
        String cell(int row, int column);
    }

    private CsvColumns() {
    }

    static Column infer(String name, String role, Cells cells, int c, int rows, MissingPolicy policy,
            int maxCategories, List<FieldProblem> problems) {
        boolean numeric = true;
        boolean bool = true;
        int present = 0;
        for (int row = 0; row < rows && (numeric || bool); row++) {
            String t = cells.cell(row, c);
            if (!t.isEmpty()) {
                present++;
                numeric &= ColumnEncoding.isNumber(t) || ColumnEncoding.isNonFinite(t);
                bool &= t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false");
            }
        }
        boolean imputes = !Column.LABEL.equals(role) && policy != MissingPolicy.REFUSE;
        if (imputes && present == 0) {
            problems.add(new FieldProblem("columns." + name,
                    "has no values, so there is nothing to impute its missing cells from"));
            return Column.numeric(name, role);
        }
        if (numeric) {
            String fill = imputes ? numericFill(cells, c, rows, policy) : null;
            return new Column(name, role, ColumnType.NUMERIC, null, fill);
        }
        if (bool) {
            return new Column(name, role, ColumnType.BOOLEAN, null, imputes ? booleanFill(cells, c, rows) : null);
        }
        return categorical(name, role, cells, c, rows, imputes, maxCategories, problems);
    }

    private static Column categorical(String name, String role, Cells cells, int c, int rows, boolean imputes,
            int maxCategories, List<FieldProblem> problems) {
        Map<String, int[]> counts = new HashMap<>();
        for (int row = 0; row < rows; row++) {
            String t = cells.cell(row, c);
            if (!t.isEmpty()) {
                int control = controlCharacter(t);
                if (control >= 0) {
                    problems.add(new FieldProblem("rows[" + row + "]." + name, String.format(
                            "holds the control character U+%04X, which a category may not contain", control)));
                    return Column.numeric(name, role);
                }
                counts.computeIfAbsent(t, key -> new int[1])[0]++;
                if (counts.size() > maxCategories) {
                    problems.add(new FieldProblem("columns." + name, "has more than " + maxCategories
                            + " distinct values (tapeflow.limits.max-categories): too many for a categorical "
                            + (Column.LABEL.equals(role) ? "label" : "feature") + "; it is not numeric because of "
                            + "values like '" + ColumnEncoding.abbreviate(firstNonNumber(cells, c, rows)) + "'"));
                    return Column.numeric(name, role);
                }
            }
        }
        List<String> vocabulary = new ArrayList<>(counts.keySet());
        vocabulary.sort(null);
        String fill = null;
        if (imputes) {
            int best = -1;
            for (String value : vocabulary) { // sorted: the first of equally frequent values wins
                int count = counts.get(value)[0];
                if (count > best) {
                    best = count;
                    fill = value;
                }
            }
        }
        return new Column(name, role, ColumnType.CATEGORICAL, vocabulary, fill);
    }

    /**
     * A category becomes part of column names, JSON and SVG legends; a NUL or other control character there is a
     * corrupt file, not a value (tab and line breaks, which quoted fields may hold, are allowed).
     */
    private static int controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
                return ch;
            }
        }
        return -1;
    }

    private static String firstNonNumber(Cells cells, int c, int rows) {
        for (int row = 0; row < rows; row++) {
            String t = cells.cell(row, c);
            if (!t.isEmpty() && !ColumnEncoding.isNumber(t)) {
                return t;
            }
        }
        return "";
    }

    /** Cells that are not finite numbers are left out here; encoding reports them with their row. */
    private static String numericFill(Cells cells, int c, int rows, MissingPolicy policy) {
        float[] values = new float[rows];
        int n = 0;
        for (int row = 0; row < rows; row++) {
            String t = cells.cell(row, c);
            if (ColumnEncoding.isNumber(t)) {
                float v = Float.parseFloat(t);
                if (Float.isFinite(v)) {
                    values[n++] = v;
                }
            }
        }
        if (n == 0) {
            return null; // only non-finite cells: encoding refuses each of them
        }
        return switch (policy) {
            case MEAN -> Float.toString(mean(values, n));
            case MOST_FREQUENT -> Float.toString(mostFrequent(values, n));
            case REFUSE -> throw new IllegalStateException("refuse has no fill");
        };
    }

    private static float mean(float[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return (float) (sum / n);
    }

    /** The most frequent value; among equally frequent ones the smallest. */
    private static float mostFrequent(float[] values, int n) {
        float[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        float best = sorted[0];
        int bestRun = 0;
        for (int i = 0; i < n;) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = sorted[i];
            }
            i = j;
        }
        return best;
    }

    /** The more frequent of true and false; a tie gives false, the first in sorted order. */
    private static String booleanFill(Cells cells, int c, int rows) {
        int trues = 0;
        int falses = 0;
        for (int row = 0; row < rows; row++) {
            String t = cells.cell(row, c);
            if (t.equalsIgnoreCase("true")) {
                trues++;
            } else if (!t.isEmpty()) {
                falses++;
            }
        }
        return trues > falses ? "true" : "false";
    }
}
