package io.tapeflow.datasets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * Reads an uploaded CSV (RFC 4180: quoted fields with doubled quotes, LF or CRLF line ends, an optional UTF-8 BOM,
 * blank lines ignored). The first record is the header; the chosen label columns become labels, all others features.
 * Problems are reported as {@code rows[i].column} with the 0-based data row (the index {@code /rows} shows) and the
 * 1-based line of the file.
 */
final class CsvParser {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final int MAX_REPORTED = 10;

    private record Record(int line, List<String> fields) {
    }

    private CsvParser() {
    }

    static DatasetValues parse(byte[] body, List<String> labelColumns) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Record> records = records(text);
        if (records.isEmpty()) {
            throw ApiException.badRequest("body", "is empty; expected a header row, then one row per sample");
        }
        List<String> header = header(records.get(0));
        int[] labelIndex = labelIndexes(header, labelColumns);
        int width = header.size();
        int[] featureIndex = new int[width - labelIndex.length];
        List<String> featureNames = new ArrayList<>();
        Set<Integer> labelSet = new HashSet<>();
        for (int i : labelIndex) {
            labelSet.add(i);
        }
        for (int c = 0, f = 0; c < width; c++) {
            if (!labelSet.contains(c)) {
                featureIndex[f++] = c;
                featureNames.add(header.get(c));
            }
        }
        List<String> labelNames = new ArrayList<>();
        for (int i : labelIndex) {
            labelNames.add(header.get(i));
        }
        int rows = records.size() - 1;
        if (rows == 0) {
            throw ApiException.badRequest("body", "has a header but no data rows");
        }
        float[] features = new float[rows * featureIndex.length];
        float[] labels = new float[rows * labelIndex.length];
        List<FieldProblem> problems = new ArrayList<>();
        for (int row = 0; row < rows && problems.size() < MAX_REPORTED; row++) {
            Record r = records.get(row + 1);
            if (r.fields().size() != width) {
                problems.add(new FieldProblem("rows[" + row + "]", "has " + r.fields().size()
                        + " values but the header has " + width + " (line " + r.line() + ")"));
                continue;
            }
            for (int f = 0; f < featureIndex.length; f++) {
                features[row * featureIndex.length + f] = value(r, row, featureIndex[f], header, problems);
            }
            for (int l = 0; l < labelIndex.length; l++) {
                labels[row * labelIndex.length + l] = value(r, row, labelIndex[l], header, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.subList(0, Math.min(problems.size(), MAX_REPORTED)));
        }
        return new DatasetValues(rows, List.copyOf(featureNames), List.copyOf(labelNames), features, labels);
    }

    private static List<String> header(Record record) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < record.fields().size(); c++) {
            String name = record.fields().get(c).trim();
            if (name.isEmpty()) {
                throw ApiException.badRequest("header", "column " + (c + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw ApiException.badRequest("header", "column name '" + name + "' appears twice");
            }
            names.add(name);
        }
        return names;
    }

    private static int[] labelIndexes(List<String> header, List<String> labelColumns) {
        if (labelColumns.isEmpty()) {
            throw ApiException.badRequest("labels", "must name at least one column of the header " + header);
        }
        int[] indexes = new int[labelColumns.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < indexes.length; i++) {
            int index = header.indexOf(labelColumns.get(i));
            if (index < 0) {
                throw ApiException.badRequest("labels",
                        "no column named '" + labelColumns.get(i) + "' in the header " + header);
            }
            if (!seen.add(index)) {
                throw ApiException.badRequest("labels", "names column '" + labelColumns.get(i) + "' twice");
            }
            indexes[i] = index;
        }
        if (indexes.length == header.size()) {
            throw ApiException.badRequest("labels", "leaves no feature column: every column is a label");
        }
        return indexes;
    }

    private static float value(Record r, int row, int column, List<String> header, List<FieldProblem> problems) {
        String text = r.fields().get(column).strip();
        String field = "rows[" + row + "]." + header.get(column);
        String where = " (line " + r.line() + ")";
        if (text.isEmpty()) {
            problems.add(new FieldProblem(field, "is missing" + where));
        } else if (NOT_FINITE.matcher(text).matches()) {
            problems.add(new FieldProblem(field, "must be a finite number, got '" + text + "'" + where));
        } else if (!NUMBER.matcher(text).matches()) {
            problems.add(new FieldProblem(field, "must be a number, got '" + abbreviate(text) + "'" + where));
        } else {
            float v = Float.parseFloat(text);
            if (Float.isInfinite(v)) {
                problems.add(new FieldProblem(field, "must be a finite float32, got " + abbreviate(text) + where));
            }
            return v;
        }
        return 0f;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int recordLine = 1;
        int quoteLine = 1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                quoteLine = line;
                field.setLength(0);
                i++;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                i++;
            } else if (c == '\r' || c == '\n') {
                fields.add(field.toString());
                if (wasQuoted || fields.size() > 1 || !fields.get(0).isBlank()) {
                    records.add(new Record(recordLine, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
                line++;
                recordLine = line;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) {
                    throw ApiException.badRequest("body",
                            "unexpected '" + c + "' after a closing quote on line " + line);
                }
                field.append(c);
                i++;
            }
        }
        if (quoted) {
            throw ApiException.badRequest("body", "the quoted field opened on line " + quoteLine + " never closes");
        }
        fields.add(field.toString());
        if (wasQuoted || fields.size() > 1 || !fields.get(0).isBlank()) {
            records.add(new Record(recordLine, List.copyOf(fields)));
        }
        return records;
    }

    static List<String> splitColumns(String labels) {
        List<String> names = new ArrayList<>();
        for (String name : labels.split(",", -1)) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }
}
