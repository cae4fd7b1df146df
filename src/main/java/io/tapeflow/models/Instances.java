package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tapeflow.datasets.Column;
import io.tapeflow.datasets.ColumnEncoding;
import io.tapeflow.datasets.ColumnType;
import io.tapeflow.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the inputs of a prediction call in TF Serving's two formats and checks them against the model's signature:
 * rows ({@code "instances": [[x1, x2], ...]} or {@code [{"x1": .., "x2": ..}, ...]}) and columns
 * ({@code "inputs": [[x1, x2], ...]} or {@code {"x1": [..], "x2": [..]}}). Values are the raw columns' as the
 * dataset had them — numbers, {@code true}/{@code false}, category names — encoded by the dataset's own
 * {@link ColumnEncoding} (one-hot, missing-cell fill); a model without raw columns takes its numeric inputs. Every
 * problem names the instance and the column.
 */
final class Instances {

    /** The rows, row-major {@code rows × inputs}, and which format the answer should use. */
    record Parsed(float[] features, int rows, boolean columnFormat) {
    }

    private Instances() {
    }

    /** @param raw the columns an instance holds ({@link #rawColumns}), computed once per model */
    static Parsed parse(JsonNode body, ModelDocument.Signature signature, List<Column> raw, int maxInstances) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "must be an object with \"instances\" (rows) or \"inputs\" "
                    + "(columns)");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext();) {
            String name = it.next().getKey();
            if (!name.equals("instances") && !name.equals("inputs") && unknown.size() < 10) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            // a misspelt "instance" or a TF Serving "signature_name" would otherwise be silently ignored
            throw ApiException.badRequest(unknown.get(0), "is not a known field " + unknown + "; a prediction body "
                    + "has only \"instances\" (rows) or \"inputs\" (columns)");
        }
        boolean rows = body.has("instances");
        boolean columns = body.has("inputs");
        if (rows == columns) {
            throw ApiException.badRequest(rows ? "inputs" : "instances", rows
                    ? "give either \"instances\" (row format) or \"inputs\" (column format), not both"
                    : "is required: {\"instances\": [[...], ...]} or {\"inputs\": ...}");
        }
        String field = rows ? "instances" : "inputs";
        JsonNode data = body.get(field);
        int k = signature.inputs();
        float[] features;
        int n;
        if (columns && data.isObject()) {
            n = columnLength(data, raw, maxInstances);
            features = new float[n * k];
            int offset = 0;
            for (Column c : raw) {
                JsonNode column = data.get(c.name());
                for (int r = 0; r < n; r++) {
                    encode(c, column.get(r), features, r * k + offset, field + "." + c.name() + "[" + r + "]");
                }
                offset += ColumnEncoding.width(c);
            }
        } else {
            if (!data.isArray()) {
                throw ApiException.badRequest(field, "must be a list of instances, each a list of " + raw.size()
                        + " values " + names(raw));
            }
            n = data.size();
            checkCount(field, n, maxInstances);
            features = new float[n * k];
            for (int r = 0; r < n; r++) {
                row(data.get(r), field + "[" + r + "]", raw, features, r * k);
            }
        }
        return new Parsed(features, n, columns);
    }

    /** The columns an instance holds: the dataset's raw feature columns, or one numeric column per input. */
    static List<Column> rawColumns(ModelDocument.Signature signature) {
        if (signature.columns() != null) {
            return signature.columns();
        }
        List<Column> numeric = new ArrayList<>();
        for (String name : signature.featureNames()) {
            numeric.add(Column.numeric(name, Column.FEATURE));
        }
        return numeric;
    }

    private static void checkCount(String field, int n, int maxInstances) {
        if (n == 0) {
            throw ApiException.badRequest(field, "must hold at least one instance");
        }
        if (n > maxInstances) {
            throw ApiException.badRequest(field, "at most " + maxInstances + " instances per call, got " + n);
        }
    }

    private static void row(JsonNode instance, String field, List<Column> raw, float[] out, int offset) {
        if (instance.isArray()) {
            if (instance.size() != raw.size()) {
                throw ApiException.badRequest(field, "has " + instance.size() + " values; the model takes "
                        + raw.size() + " " + names(raw));
            }
            int at = offset;
            for (int j = 0; j < raw.size(); j++) {
                Column c = raw.get(j);
                // The field's name is built only for an error: built for every value, it cost more than the model.
                JsonNode node = instance.get(j);
                float f = c.type() == ColumnType.NUMERIC && node.isNumber() ? (float) node.doubleValue() : Float.NaN;
                if (Float.isFinite(f)) {
                    out[at] = f;
                } else {
                    encode(c, node, out, at, field + "[" + j + "]");
                }
                at += ColumnEncoding.width(c);
            }
        } else if (instance.isObject()) {
            List<String> unknown = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = instance.properties().iterator(); it.hasNext();) {
                String name = it.next().getKey();
                if (indexOf(raw, name) < 0) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest(field, "has unknown features " + unknown + "; the model takes "
                        + names(raw));
            }
            int at = offset;
            for (Column c : raw) {
                if (!instance.has(c.name()) && c.fill() == null) {
                    throw ApiException.badRequest(field + "." + c.name(), "is missing");
                }
                encode(c, instance.get(c.name()), out, at, field + "." + c.name());
                at += ColumnEncoding.width(c);
            }
        } else {
            throw ApiException.badRequest(field, "must be a list of " + raw.size() + " values " + names(raw)
                    + " or an object keyed by those names");
        }
    }

    private static int columnLength(JsonNode data, List<Column> raw, int maxInstances) {
        int n = -1;
        for (Column c : raw) {
            JsonNode column = data.get(c.name());
            if (column == null || !column.isArray()) {
                throw ApiException.badRequest("inputs." + c.name(), "must be a list of values, one per instance");
            }
            if (n >= 0 && column.size() != n) {
                throw ApiException.badRequest("inputs." + c.name(), "has " + column.size() + " values; the other "
                        + "columns have " + n);
            }
            n = column.size();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.properties().iterator(); it.hasNext();) {
            String name = it.next().getKey();
            if (indexOf(raw, name) < 0) {
                throw ApiException.badRequest("inputs." + name, "is not a feature of the model " + names(raw));
            }
        }
        checkCount("inputs", n, maxInstances);
        return n;
    }

    /**
     * One cell through the dataset's encoding. JSON is read strictly: a number column takes JSON numbers (not
     * "1.5" strings), a categorical one its names, a boolean one {@code true}/{@code false}; null is a missing
     * cell, which takes the column's fill where the dataset imputed one.
     */
    private static void encode(Column c, JsonNode node, float[] out, int offset, String field) {
        Object cell;
        if (node == null || node.isNull()) {
            cell = null;
        } else if (node.isNumber() && c.type() != ColumnType.CATEGORICAL) {
            cell = node.doubleValue();
        } else if (node.isBoolean() && c.type() == ColumnType.BOOLEAN) {
            cell = node.booleanValue();
        } else if (node.isString() && c.type() == ColumnType.CATEGORICAL) {
            cell = node.asString();
        } else if (node.isNumber() && c.type() == ColumnType.CATEGORICAL) {
            cell = node.asString(); // a category named "3" is sent as 3
        } else {
            throw ApiException.badRequest(field, "must be " + expected(c) + ", got " + node);
        }
        try {
            ColumnEncoding.encode(c, cell, out, offset);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, e.getMessage());
        }
    }

    private static String expected(Column c) {
        return switch (c.type()) {
            case NUMERIC -> "a number";
            case BOOLEAN -> "true or false";
            case CATEGORICAL -> "one of " + c.categories();
        };
    }

    private static int indexOf(List<Column> raw, String name) {
        for (int i = 0; i < raw.size(); i++) {
            if (raw.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> names(List<Column> raw) {
        List<String> names = new ArrayList<>(raw.size());
        for (Column c : raw) {
            names.add(c.name());
        }
        return names;
    }
}
