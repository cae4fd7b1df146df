package io.tapeflow.datasets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one definition of how a raw cell becomes stored floats, used by the CSV upload and at prediction time:
 * <ul>
 * <li>numeric: the number as float32 (width 1);</li>
 * <li>boolean: true → 1, false → 0 (width 1);</li>
 * <li>categorical feature: one-hot over the sorted vocabulary, one float per category (width = #categories), named
 * {@code name_value} like scikit-learn's {@code get_feature_names_out()};</li>
 * <li>categorical label: the class index 0..K−1 in the sorted vocabulary (width 1).</li>
 * </ul>
 * A missing cell (null or blank text) takes the column's fill, or is refused. Errors are
 * {@link IllegalArgumentException}s whose message reads after a field name ("is missing", "unknown category
 * 'purple'; known: [blue, green, red]"), so callers prefix the field and answer 400.
 *
 * <p>{@link #encode} allocates nothing for a String, Number or Boolean cell of a numeric, boolean or categorical
 * column (beyond what {@link Float#parseFloat} does inside the JDK); only its error paths build messages.
 */
public final class ColumnEncoding {

    /** At most this many known values are listed in an error message. */
    private static final int MAX_LISTED = 20;

    private ColumnEncoding() {
    }

    /** How many stored floats the column takes. */
    public static int width(Column column) {
        return switch (column.type()) {
            case NUMERIC, BOOLEAN -> 1;
            case CATEGORICAL -> column.isLabel() ? 1 : column.categories().size();
        };
    }

    /** The total width of the columns with this role ({@link Column#FEATURE} or {@link Column#LABEL}). */
    public static int width(List<Column> columns, String role) {
        int width = 0;
        for (Column column : columns) {
            if (column.role().equals(role)) {
                width = Math.addExact(width, width(column));
            }
        }
        return width;
    }

    /**
     * The columns with this role in stored order. For a prediction row: for each feature column, {@link #encode}
     * its raw value at the running offset, then advance the offset by its {@link #width}.
     */
    public static List<Column> withRole(List<Column> columns, String role) {
        List<Column> out = new ArrayList<>();
        for (Column column : columns) {
            if (column.role().equals(role)) {
                out.add(column);
            }
        }
        return List.copyOf(out);
    }

    /** The names of the stored float columns this column becomes, in storage order. */
    public static List<String> expandedNames(Column column) {
        if (column.type() != ColumnType.CATEGORICAL || column.isLabel()) {
            return List.of(column.name());
        }
        List<String> names = new ArrayList<>(column.categories().size());
        for (String category : column.categories()) {
            names.add(column.name() + "_" + category);
        }
        return List.copyOf(names);
    }

    /** The expanded names of every column with this role, in column order. */
    public static List<String> expandedNames(List<Column> columns, String role) {
        List<String> names = new ArrayList<>();
        for (Column column : columns) {
            if (column.role().equals(role)) {
                names.addAll(expandedNames(column));
            }
        }
        return List.copyOf(names);
    }

    /**
     * Writes the cell's {@link #width} floats at {@code out[offset..]}.
     *
     * @param cell a String (as in a CSV), Number, Boolean or null; null or blank text is missing
     * @throws IllegalArgumentException the cell cannot be encoded; the message follows a field name
     */
    public static void encode(Column column, Object cell, float[] out, int offset) {
        if (isMissing(cell)) {
            if (column.fill() == null) {
                throw new IllegalArgumentException("is missing");
            }
            cell = column.fill();
        }
        switch (column.type()) {
            case NUMERIC -> out[offset] = number(cell);
            case BOOLEAN -> out[offset] = bool(cell) ? 1f : 0f;
            case CATEGORICAL -> {
                int index = category(column, cell);
                if (column.isLabel()) {
                    out[offset] = index;
                } else {
                    int k = column.categories().size();
                    for (int j = 0; j < k; j++) {
                        out[offset + j] = 0f;
                    }
                    out[offset + index] = 1f;
                }
            }
        }
    }

    static boolean isMissing(Object cell) {
        return cell == null || (cell instanceof String text && text.isBlank());
    }

    private static float number(Object cell) {
        if (cell instanceof String text) {
            return parseNumber(text.strip());
        }
        if (cell instanceof Number n) {
            float v = n.floatValue();
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("must be a finite float32 number, got " + n);
            }
            return v;
        }
        throw new IllegalArgumentException("must be a number, got " + describe(cell));
    }

    /** Today's CSV number rules: a plain decimal, optionally signed, with an optional exponent; finite in float32. */
    static float parseNumber(String text) {
        if (!isNumber(text)) {
            throw new IllegalArgumentException(isNonFinite(text)
                    ? "must be a finite number, got '" + text + "'"
                    : "must be a number, got '" + abbreviate(text) + "'");
        }
        float v = Float.parseFloat(text);
        if (Float.isInfinite(v)) {
            throw new IllegalArgumentException("must be a finite float32, got " + abbreviate(text));
        }
        return v;
    }

    private static boolean bool(Object cell) {
        if (cell instanceof Boolean b) {
            return b;
        }
        if (cell instanceof String text) {
            String t = text.strip();
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        if (cell instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        throw new IllegalArgumentException("must be true or false, got " + describe(cell));
    }

    private static int category(Column column, Object cell) {
        // A Number or Boolean is looked up by its text: a vocabulary may hold "3" beside "other".
        String text = cell instanceof String s ? s.strip() : String.valueOf(cell);
        int index = Collections.binarySearch(column.categories(), text);
        if (index < 0) {
            throw new IllegalArgumentException("unknown category '" + abbreviate(text) + "'; known: "
                    + listed(column.categories()));
        }
        return index;
    }

    private static String listed(List<String> values) {
        if (values.size() <= MAX_LISTED) {
            return values.toString();
        }
        return values.subList(0, MAX_LISTED).toString().replace("]", ", … (" + values.size() + " in all)]");
    }

    private static String describe(Object cell) {
        return cell instanceof String text ? "'" + abbreviate(text) + "'" : String.valueOf(cell);
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?} without a regex, so typing and encoding allocate nothing. */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits == 0 && fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** NaN and the infinities as Java or a spreadsheet writes them: numbers, but refused as not finite. */
    static boolean isNonFinite(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        int length = s.length() - start;
        return (length == 3 && (s.regionMatches(true, start, "nan", 0, 3) || s.regionMatches(true, start, "inf", 0, 3)))
                || (length == 8 && s.regionMatches(true, start, "infinity", 0, 8));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
