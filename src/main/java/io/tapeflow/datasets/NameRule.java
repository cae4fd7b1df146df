package io.tapeflow.datasets;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * What a name a client gives may hold, one rule for every name the service stores: dataset names, feature and label
 * names (inline, CSV headers, imported model signatures). Not blank, bounded, and plain text: no control
 * characters (PostgreSQL refuses a NUL in text that H2 stores, so one database said 409 and the other kept it), no
 * lone surrogates or U+FFFE/U+FFFF (no database or XML holds them faithfully). Tab and line breaks are text, as in
 * a quoted CSV header or category, and every store and plot holds them.
 */
public final class NameRule {

    /** Characters of a dataset's name. */
    public static final int MAX_DATASET_NAME = 200;
    /** Characters of a column (feature, label) or class name. */
    public static final int MAX_COLUMN_NAME = 100;

    private NameRule() {
    }

    /** What is wrong with a name, or null when it is fine. */
    public static String problem(String name, int maxLength) {
        if (name == null || name.isBlank() || name.length() > maxLength) {
            return "must be 1 to " + maxLength + " characters, not blank";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return "must not contain control characters (U+" + String.format("%04X", (int) c) + " at "
                        + i + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                return "must be valid text (U+" + String.format("%04X", (int) c) + " at " + i + " is not a character)";
            }
        }
        return null;
    }

    /** Throws a 400 naming {@code field} when the name breaks the rule. */
    public static void require(String field, String name, int maxLength) {
        String problem = problem(name, maxLength);
        if (problem != null) {
            throw ApiException.badRequest(field, problem);
        }
    }

    /**
     * Column names: each by {@link #problem} at {@code field[i]}, and none twice. Stops collecting once a
     * problem body is full ({@link ApiException#enough}).
     */
    public static void checkNames(String field, List<String> names, List<FieldProblem> problems) {
        Set<String> seen = new HashSet<>();
        boolean repeated = false;
        for (int i = 0; i < names.size() && !ApiException.enough(problems); i++) {
            String name = names.get(i);
            String problem = problem(name, MAX_COLUMN_NAME);
            if (problem != null) {
                problems.add(new FieldProblem(field + "[" + i + "]", problem));
            } else if (!seen.add(name) && !repeated) {
                repeated = true;
                problems.add(new FieldProblem(field, "must not repeat a name ('" + name + "' appears twice)"));
            }
        }
    }
}
