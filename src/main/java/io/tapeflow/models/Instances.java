package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tapeflow.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the inputs of a prediction call in TF Serving's two formats and checks them against the model's signature:
 * rows ({@code "instances": [[x1, x2], ...]} or {@code [{"x1": .., "x2": ..}, ...]}) and columns
 * ({@code "inputs": [[x1, x2], ...]} or {@code {"x1": [..], "x2": [..]}}). Every problem names the instance.
 */
final class Instances {

    /** The rows, row-major {@code rows × inputs}, and which format the answer should use. */
    record Parsed(float[] features, int rows, boolean columnFormat) {
    }

    private Instances() {
    }

    static Parsed parse(JsonNode body, ModelDocument.Signature signature, int maxInstances) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "must be an object with \"instances\" (rows) or \"inputs\" "
                    + "(columns)");
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
            n = columnLength(data, signature, maxInstances);
            features = new float[n * k];
            for (int j = 0; j < k; j++) {
                JsonNode column = data.get(signature.featureNames().get(j));
                for (int r = 0; r < n; r++) {
                    features[r * k + j] = value(column.get(r), field + "." + signature.featureNames().get(j)
                            + "[" + r + "]");
                }
            }
        } else {
            if (!data.isArray()) {
                throw ApiException.badRequest(field, "must be a list of instances, each a list of " + k
                        + " numbers " + signature.featureNames());
            }
            n = data.size();
            checkCount(field, n, maxInstances);
            features = new float[n * k];
            for (int r = 0; r < n; r++) {
                row(data.get(r), field + "[" + r + "]", signature, features, r * k);
            }
        }
        return new Parsed(features, n, columns);
    }

    private static void checkCount(String field, int n, int maxInstances) {
        if (n == 0) {
            throw ApiException.badRequest(field, "must hold at least one instance");
        }
        if (n > maxInstances) {
            throw ApiException.badRequest(field, "at most " + maxInstances + " instances per call, got " + n);
        }
    }

    private static void row(JsonNode instance, String field, ModelDocument.Signature signature, float[] out,
            int offset) {
        int k = signature.inputs();
        if (instance.isArray()) {
            if (instance.size() != k) {
                throw ApiException.badRequest(field, "has " + instance.size() + " values; the model takes " + k
                        + " " + signature.featureNames());
            }
            for (int j = 0; j < k; j++) {
                // The field's name is built only for an error: built for every value, it cost more than the model.
                JsonNode node = instance.get(j);
                float f = node != null && node.isNumber() ? (float) node.doubleValue() : Float.NaN;
                out[offset + j] = Float.isFinite(f) ? f : value(node, field + "[" + j + "]");
            }
        } else if (instance.isObject()) {
            List<String> unknown = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = instance.properties().iterator(); it.hasNext();) {
                String name = it.next().getKey();
                if (!signature.featureNames().contains(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest(field, "has unknown features " + unknown + "; the model takes "
                        + signature.featureNames());
            }
            for (int j = 0; j < k; j++) {
                String name = signature.featureNames().get(j);
                if (!instance.has(name)) {
                    throw ApiException.badRequest(field + "." + name, "is missing");
                }
                out[offset + j] = value(instance.get(name), field + "." + name);
            }
        } else {
            throw ApiException.badRequest(field, "must be a list of " + k + " numbers " + signature.featureNames()
                    + " or an object keyed by those names");
        }
    }

    private static int columnLength(JsonNode data, ModelDocument.Signature signature, int maxInstances) {
        int n = -1;
        for (String name : signature.featureNames()) {
            JsonNode column = data.get(name);
            if (column == null || !column.isArray()) {
                throw ApiException.badRequest("inputs." + name, "must be a list of values, one per instance");
            }
            if (n >= 0 && column.size() != n) {
                throw ApiException.badRequest("inputs." + name, "has " + column.size() + " values; the other "
                        + "columns have " + n);
            }
            n = column.size();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.properties().iterator(); it.hasNext();) {
            String name = it.next().getKey();
            if (!signature.featureNames().contains(name)) {
                throw ApiException.badRequest("inputs." + name, "is not a feature of the model "
                        + signature.featureNames());
            }
        }
        checkCount("inputs", n, maxInstances);
        return n;
    }

    private static float value(JsonNode node, String field) {
        if (node == null || !node.isNumber()) {
            throw ApiException.badRequest(field, "must be a number, got " + (node == null ? "nothing" : node));
        }
        double v = node.doubleValue();
        float f = (float) v;
        if (!Double.isFinite(v) || !Float.isFinite(f)) {
            throw ApiException.badRequest(field, "must be a finite float32 number, got " + node);
        }
        return f;
    }
}
