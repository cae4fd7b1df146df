package io.tapeflow.datasets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * Reads an uploaded CSV (RFC 4180: quoted fields with doubled quotes, LF or CRLF line ends, an optional UTF-8 BOM,
 * blank lines ignored). The first record is the header; the chosen label columns become labels, all others features.
 * Columns are typed by {@link CsvColumns} and encoded by {@link ColumnEncoding}.
 * Problems are reported as {@code rows[i].column} with the 0-based data row (the index {@code /rows} shows) and the
 * 1-based line of the file.
 */
final class CsvParser {

    private static final int MAX_REPORTED = 10;

    private record Record(int line, List<String> fields) {
    }

    private CsvParser() {
    }

    /** Reads and encodes with missing cells refused and no category limit (the narrow tests' entry point). */
    static DatasetValues parse(byte[] body, List<String> labelColumns) {
        Table table = read(body, labelColumns);
        return table.encode(table.columns(MissingPolicy.REFUSE, Integer.MAX_VALUE));
    }

    /** The file split into records, with its header, label columns and even row widths checked. */
    static Table read(byte[] body, List<String> labelColumns) {
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
        if (records.size() == 1) {
            throw ApiException.badRequest("body", "has a header but no data rows");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (int row = 0; row < records.size() - 1 && problems.size() < MAX_REPORTED; row++) {
            Record r = records.get(row + 1);
            if (r.fields().size() != header.size()) {
                problems.add(new FieldProblem("rows[" + row + "]", "has " + r.fields().size()
                        + " values but the header has " + header.size() + " (line " + r.line() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems);
        }
        return new Table(records.subList(1, records.size()), header, labelIndex);
    }

    /**
     * A read CSV: {@link #columns} types its columns (the schema), {@link #encode} turns the cells into the stored
     * float blocks with {@link ColumnEncoding}; the caller checks the schema's width against the limits in between,
     * before anything large is allocated.
     */
    static final class Table {

        private final List<Record> rows;
        private final List<String> header;
        private final int[] labelIndex;

        private Table(List<Record> rows, List<String> header, int[] labelIndex) {
            this.rows = rows;
            this.header = header;
            this.labelIndex = labelIndex;
        }

        int rows() {
            return rows.size();
        }

        List<String> header() {
            return header;
        }

        private String cell(int row, int column) {
            return rows.get(row).fields().get(column).strip();
        }

        /** The raw columns in file order, typed, with vocabularies and (under an imputing policy) fills. */
        List<Column> columns(MissingPolicy policy, int maxCategories) {
            boolean[] isLabel = new boolean[header.size()];
            for (int i : labelIndex) {
                isLabel[i] = true;
            }
            List<FieldProblem> problems = new ArrayList<>();
            List<Column> columns = new ArrayList<>(header.size());
            for (int c = 0; c < header.size(); c++) {
                columns.add(CsvColumns.infer(header.get(c), isLabel[c] ? Column.LABEL : Column.FEATURE,
                        this::cell, c, rows.size(), policy, maxCategories, problems));
            }
            if (!problems.isEmpty()) {
                throw ApiException.badRequest(problems.subList(0, Math.min(problems.size(), MAX_REPORTED)));
            }
            return List.copyOf(columns);
        }

        /**
         * The stored blocks: features are the feature columns in file order, each {@link ColumnEncoding#width}
         * floats wide; labels the label columns in the order the request named them.
         */
        DatasetValues encode(List<Column> columns) {
            int k = ColumnEncoding.width(columns, Column.FEATURE);
            int m = labelIndex.length;
            int n = rows.size();
            float[] features = new float[Math.multiplyExact(n, k)];
            float[] labels = new float[Math.multiplyExact(n, m)];
            List<FieldProblem> problems = new ArrayList<>();
            for (int row = 0; row < n && problems.size() < MAX_REPORTED; row++) {
                int at = row * k;
                for (int c = 0; c < columns.size(); c++) {
                    Column column = columns.get(c);
                    if (!column.isLabel()) {
                        encodeCell(column, row, c, features, at, problems);
                        at += ColumnEncoding.width(column);
                    }
                }
                for (int l = 0; l < m; l++) {
                    encodeCell(columns.get(labelIndex[l]), row, labelIndex[l], labels, row * m + l, problems);
                }
            }
            if (!problems.isEmpty()) {
                throw ApiException.badRequest(problems.subList(0, Math.min(problems.size(), MAX_REPORTED)));
            }
            List<String> labelNames = new ArrayList<>(m);
            for (int i : labelIndex) {
                labelNames.add(header.get(i));
            }
            return new DatasetValues(n, ColumnEncoding.expandedNames(columns, Column.FEATURE),
                    List.copyOf(labelNames), features, labels, columns);
        }

        private void encodeCell(Column column, int row, int c, float[] out, int offset,
                List<FieldProblem> problems) {
            try {
                ColumnEncoding.encode(column, rows.get(row).fields().get(c), out, offset);
            } catch (IllegalArgumentException e) {
                String note = column.isLabel() && ColumnEncoding.isMissing(rows.get(row).fields().get(c))
                        ? "; label cells are never imputed" : "";
                problems.add(new FieldProblem("rows[" + row + "]." + column.name(),
                        e.getMessage() + " (line " + rows.get(row).line() + ")" + note));
            }
        }
    }

    private static List<String> header(Record record) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < record.fields().size(); c++) {
            String name = record.fields().get(c).trim();
            if (name.isEmpty()) {
                throw ApiException.badRequest("header", "column " + (c + 1) + " has no name");
            }
            String problem = NameRule.problem(name, NameRule.MAX_COLUMN_NAME);
            if (problem != null) {
                throw ApiException.badRequest("header", "column " + (c + 1) + " name " + problem);
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
