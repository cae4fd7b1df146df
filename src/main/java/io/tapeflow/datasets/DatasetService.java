package io.tapeflow.datasets;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates datasets after checking everything a request says against the limits, so a dataset that is stored is
 * always valid: finite values, consistent widths, within {@link DatasetLimits}.
 */
@Service
class DatasetService {

    /** Seeds chosen for the caller stay below 2^53 so they survive a JavaScript client's number type. */
    private static final long MAX_CHOSEN_SEED = 1L << 53;

    private final DatasetStore store;
    private final DatasetLimits limits;
    private final JsonMapper json;

    DatasetService(DatasetStore store, DatasetLimits limits, JsonMapper json) {
        this.store = store;
        this.limits = limits;
        this.json = json;
    }

    DatasetResponse create(CreateDatasetRequest request) {
        return create(UUID.randomUUID(), request);
    }

    /** With a given id: the reference datasets the service provides have fixed ones ({@link ReferenceDatasets}). */
    DatasetResponse create(UUID id, CreateDatasetRequest request) {
        NameRule.require("name", request.name(), NameRule.MAX_DATASET_NAME);
        DatasetSource source = request.source();
        List<FieldProblem> problems = new ArrayList<>();
        Long seed = request.seed();
        DatasetValues values;
        Map<String, Object> description;
        if (source instanceof LinearSource linear) {
            checkLinear(linear, problems);
            throwIfAny(problems);
            seed = seed != null ? seed : chooseSeed();
            values = Generators.linear(linear, seed);
            description = describe(linear);
        } else if (source instanceof RingsSource rings) {
            checkRings(rings, problems);
            throwIfAny(problems);
            seed = seed != null ? seed : chooseSeed();
            values = Generators.rings(rings, seed);
            description = describe(rings);
        } else if (source instanceof BlobsSource blobs) {
            checkBlobs(blobs, problems);
            throwIfAny(problems);
            seed = seed != null ? seed : chooseSeed();
            values = Generators.blobs(blobs, seed);
            description = describe(blobs);
        } else {
            InlineSource inline = (InlineSource) source;
            values = inline(inline, problems);
            throwIfAny(problems);
            seed = null; // nothing was drawn: a seed here would suggest the rows depend on it
            description = Map.of("type", "inline");
        }
        checkFinite(values, source instanceof InlineSource, problems);
        throwIfAny(problems);
        return store(id, request.name(), description, seed, values, MissingPolicy.REFUSE);
    }

    /**
     * A CSV encoded with another dataset's columns: the same raw columns in the same order, typed and encoded as
     * there (vocabularies, one-hot columns, fills), so a test table uploaded on its own scores on a model trained
     * on the other one even when it lacks a category or a class. A value the other dataset never had is a 400
     * naming the row and column.
     */
    DatasetResponse uploadLike(String name, String like, String labels, String missing, byte[] csv) {
        if (missing != null) {
            throw ApiException.badRequest("missing", "comes from the dataset named by like; leave it out");
        }
        UUID id = ApiException.requireId("like", like, "a dataset id");
        DatasetResponse reference = store.find(id).orElseThrow(() -> ApiException.notFound("Dataset", id));
        List<Column> columns = reference.columns();
        // In the reference's label order (its labels= order), which is the order of its label block.
        List<String> labelColumns = reference.labelNames();
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(c.name());
        }
        if (labels != null && !CsvParser.splitColumns(labels).equals(labelColumns)) {
            throw ApiException.badRequest("labels", "must be the label columns of the dataset named by like, "
                    + labelColumns + ", or be left out");
        }
        requireName(name);
        CsvParser.Table table = CsvParser.read(csv, labelColumns);
        if (!table.header().equals(names)) {
            throw ApiException.badRequest("header", "must be the columns of the dataset named by like, in its order: "
                    + names + "; got " + table.header());
        }
        List<FieldProblem> problems = new ArrayList<>();
        checkSize(table.rows(), ColumnEncoding.width(columns, Column.FEATURE), labelColumns.size(), "body",
                "header", "labels", problems);
        throwIfAny(problems);
        DatasetValues values = table.encode(columns);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", "csv");
        description.put("labels", values.labelNames());
        description.put("like", id.toString());
        return store(name, description, null, values, MissingPolicy.of(reference.missing()));
    }

    DatasetResponse upload(String name, String labels, String missing, byte[] csv) {
        requireName(name);
        if (labels == null) {
            throw ApiException.badRequest("labels", "is required for a CSV upload: the label columns, e.g. labels=y");
        }
        MissingPolicy policy = MissingPolicy.of(missing);
        List<String> labelColumns = CsvParser.splitColumns(labels);
        CsvParser.Table table = CsvParser.read(csv, labelColumns);
        List<Column> columns = table.columns(policy, limits.maxCategories());
        List<FieldProblem> problems = new ArrayList<>();
        checkExpandedWidth(columns, problems);
        throwIfAny(problems);
        checkSize(table.rows(), ColumnEncoding.width(columns, Column.FEATURE), labelColumns.size(), "body", "header",
                "labels", problems);
        throwIfAny(problems);
        DatasetValues values = table.encode(columns);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", "csv");
        description.put("labels", values.labelNames());
        return store(name, description, null, values, policy);
    }

    /**
     * One-hot encoding can turn a few columns into many: the expanded width must fit max-features, naming the
     * categorical columns that make it, and the expanded names must not collide with another column's.
     */
    private void checkExpandedWidth(List<Column> columns, List<FieldProblem> problems) {
        int width = ColumnEncoding.width(columns, Column.FEATURE);
        if (width > limits.maxFeatures()) {
            StringBuilder wide = new StringBuilder();
            for (Column column : columns) {
                if (!column.isLabel() && column.type() == ColumnType.CATEGORICAL) {
                    wide.append(wide.length() == 0 ? "" : ", ").append(column.name()).append(": ")
                            .append(ColumnEncoding.width(column));
                }
            }
            problems.add(new FieldProblem("header", "one-hot encoding gives " + width + " feature columns ("
                    + wide + "); at most " + limits.maxFeatures() + " are allowed (tapeflow.limits.max-features)"));
            return;
        }
        List<String> names = ColumnEncoding.expandedNames(columns, Column.FEATURE);
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                problems.add(new FieldProblem("header", "the encoded column name '" + n
                        + "' appears twice (a one-hot column name_value equals another column's name)"));
                return;
            }
        }
    }

    private DatasetResponse store(String name, Map<String, Object> source, Long seed, DatasetValues values,
            MissingPolicy missing) {
        return store(UUID.randomUUID(), name, source, seed, values, missing);
    }

    private DatasetResponse store(UUID id, String name, Map<String, Object> source, Long seed, DatasetValues values,
            MissingPolicy missing) {
        DatasetResponse metadata = metadata(id, name, source, seed, values, missing, null);
        store.insert(metadata, values);
        return metadata;
    }

    private static DatasetResponse metadata(UUID id, String name, Map<String, Object> source, Long seed,
            DatasetValues values, MissingPolicy missing, SplitParent parent) {
        return new DatasetResponse(id, name, values.rows(), values.featureNames(),
                values.labelNames(), values.columns(), DatasetData.classNames(values.columns()), missing.apiName(),
                source, seed, parent, statistics(values), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    SplitResponse split(UUID id, SplitRequest request) {
        Map<String, Double> fractions = DatasetSplits.fractions(request.fractions());
        boolean stratify = Boolean.TRUE.equals(request.stratify());
        DatasetResponse parent = get(id);
        DatasetData data = load(id);
        if (stratify) {
            DatasetSplits.checkStratifiable(data);
        }
        long seed = request.seed() != null ? request.seed() : chooseSeed();
        List<DatasetValues> parts = DatasetSplits.split(data, fractions, seed, stratify);
        MissingPolicy missing = MissingPolicy.of(parent.missing());
        List<DatasetResponse> metadata = new ArrayList<>();
        int p = 0;
        for (String part : fractions.keySet()) {
            metadata.add(metadata(UUID.randomUUID(), DatasetSplits.partName(parent.name(), part), Map.of("type", "split"), null,
                    parts.get(p++), missing, new SplitParent(id, part, fractions, seed, stratify)));
        }
        store.insertAll(metadata, parts);
        return new SplitResponse(List.copyOf(metadata));
    }

    DatasetResponse get(UUID id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("Dataset", id));
    }

    DatasetPage list(int page, int size) {
        return new DatasetPage(store.page(page, size), page, size, store.count());
    }

    DatasetRows rows(UUID id, int offset, int limit) {
        return store.window(id, offset, limit).orElseThrow(() -> ApiException.notFound("Dataset", id));
    }

    String plot(UUID id) {
        DatasetResponse metadata = get(id);
        return ScatterPlot.svg(load(id), metadata.statistics());
    }

    /**
     * 404 when there is no such dataset, 409 while a queued or running training job trains on it (the rule models
     * follow too); a dataset that finished jobs or models were trained on goes, and they keep its id.
     */
    void delete(UUID id) {
        if (!store.delete(id)) {
            if (store.exists(id)) {
                throw ApiException.conflict("Dataset " + id + " is being trained on by a queued or running job; "
                        + "cancel the job or wait until it has finished");
            }
            throw ApiException.notFound("Dataset", id);
        }
    }

    private DatasetData load(UUID id) {
        return store.load(id).orElseThrow(() -> ApiException.notFound("Dataset", id));
    }

    private void checkLinear(LinearSource s, List<FieldProblem> problems) {
        checkSize(s.samples(), s.weights().length, 1, "source.samples", "source.weights", null, problems);
        for (int j = 0; j < s.weights().length; j++) {
            finite("source.weights[" + j + "]", s.weights()[j], problems);
        }
        finite("source.bias", s.bias(), problems);
        finite("source.noise", s.noise(), problems);
        finite("source.low", s.low(), problems);
        finite("source.high", s.high(), problems);
        if (!(s.low() < s.high())) {
            problems.add(new FieldProblem("source.high", "must be greater than low (" + s.low() + ")"));
        }
    }

    private void checkRings(RingsSource s, List<FieldProblem> problems) {
        long rows = (long) s.positives() + s.negatives();
        if (rows == 0) {
            problems.add(new FieldProblem("source.positives", "positives + negatives must be at least 1"));
        }
        if (rows > limits.maxRows()) {
            problems.add(new FieldProblem("source.positives", "positives + negatives must be at most "
                    + limits.maxRows() + " (tapeflow.limits.max-rows), got " + rows));
        }
        finite("source.innerRadius", s.innerRadius(), problems);
        finite("source.outerRadius", s.outerRadius(), problems);
        finite("source.noise", s.noise(), problems);
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("name", "is required for a CSV upload (query parameter)");
        }
        NameRule.require("name", name, NameRule.MAX_DATASET_NAME);
    }

    private void checkBlobs(BlobsSource s, List<FieldProblem> problems) {
        if (s.samples() < 1) {
            problems.add(new FieldProblem("source.samples", "must be at least 1"));
        }
        if (s.features() < 1) {
            problems.add(new FieldProblem("source.features", "must be at least 1"));
        }
        if (s.classes() < 2 || s.classes() > limits.maxCategories()) {
            problems.add(new FieldProblem("source.classes", "must be between 2 and " + limits.maxCategories()
                    + " (tapeflow.limits.max-categories), got " + s.classes()));
        }
        finite("source.spread", s.spread(), problems);
        if (problems.isEmpty()) {
            checkSize(s.samples(), s.features(), 1, "source.samples", "source.features", "source.classes", problems);
        }
    }

    private DatasetValues inline(InlineSource s, List<FieldProblem> problems) {
        float[][] x = s.features();
        float[][] y = s.labels();
        if (x.length != y.length) {
            problems.add(new FieldProblem("source.labels",
                    "has " + y.length + " rows but features has " + x.length));
            return null;
        }
        int k = width(x, "source.features", problems);
        int m = width(y, "source.labels", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        checkSize(x.length, k, m, "source.features", "source.features[0]", "source.labels[0]", problems);
        List<String> featureNames = names(s.featureNames(), "x", k, "source.featureNames", problems);
        List<String> labelNames = names(s.labelNames(), "y", m, "source.labelNames", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        float[] features = new float[x.length * k];
        float[] labels = new float[x.length * m];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, features, i * k, k);
            System.arraycopy(y[i], 0, labels, i * m, m);
        }
        return new DatasetValues(x.length, featureNames, labelNames, features, labels);
    }

    private static int width(float[][] rows, String field, List<FieldProblem> problems) {
        int width = -1;
        for (int i = 0; i < rows.length && problems.size() < 10; i++) {
            if (rows[i] == null) {
                problems.add(new FieldProblem(field + "[" + i + "]", "must be an array of numbers, not null"));
            } else if (width < 0) {
                width = rows[i].length;
                if (width == 0) {
                    problems.add(new FieldProblem(field + "[" + i + "]", "must have at least one value"));
                }
            } else if (rows[i].length != width) {
                problems.add(new FieldProblem(field + "[" + i + "]",
                        "has " + rows[i].length + " values but row 0 has " + width + " (rows must not be ragged)"));
            }
        }
        return width;
    }

    private static List<String> names(List<String> given, String prefix, int count, String field,
            List<FieldProblem> problems) {
        if (given == null) {
            return DatasetValues.defaultNames(prefix, count);
        }
        if (given.size() != count) {
            problems.add(new FieldProblem(field, "has " + given.size() + " names for " + count + " columns"));
        }
        NameRule.checkNames(field, given, problems);
        return Collections.unmodifiableList(new ArrayList<>(given)); // a null name is a problem above
    }

    private void checkSize(long rows, int features, int labels, String rowsField, String featuresField,
            String labelsField, List<FieldProblem> problems) {
        if (rows > limits.maxRows()) {
            problems.add(new FieldProblem(rowsField, "must have at most " + limits.maxRows()
                    + " rows (tapeflow.limits.max-rows), got " + rows));
        }
        if (features > limits.maxFeatures()) {
            problems.add(new FieldProblem(featuresField, "must have at most " + limits.maxFeatures()
                    + " features (tapeflow.limits.max-features), got " + features));
        }
        if (labelsField != null && labels > limits.maxLabels()) {
            problems.add(new FieldProblem(labelsField, "must have at most " + limits.maxLabels()
                    + " labels (tapeflow.limits.max-labels), got " + labels));
        }
        long values = rows * (features + labels);
        if (problems.isEmpty() && values > limits.maxValues()) {
            problems.add(new FieldProblem(rowsField, "rows × columns must be at most " + limits.maxValues()
                    + " (tapeflow.limits.max-values), got " + values));
        }
    }

    private static void finite(String field, float value, List<FieldProblem> problems) {
        if (!Float.isFinite(value)) {
            problems.add(new FieldProblem(field, "must be a finite number, got " + value));
        }
    }

    /**
     * Inline values name their own position; generated ones can overflow float32 too (huge weights or bounds), which
     * is the source's fault as a whole.
     */
    private static void checkFinite(DatasetValues values, boolean inline, List<FieldProblem> problems) {
        check(values.features(), values.featureNames().size(), "features", inline, problems);
        check(values.labels(), values.labelNames().size(), "labels", inline, problems);
    }

    private static void check(float[] values, int width, String column, boolean inline,
            List<FieldProblem> problems) {
        for (int i = 0; i < values.length && problems.size() < 10; i++) {
            if (!Float.isFinite(values[i])) {
                int row = i / width;
                int col = i % width;
                problems.add(inline
                        ? new FieldProblem("source." + column + "[" + row + "][" + col + "]",
                                "must be a finite number, got " + values[i] + " (row " + row + ", column " + col + ")")
                        : new FieldProblem("source", "generates " + values[i] + " in " + column + " (row " + row
                                + ", column " + col + "): weights, bias or bounds too large for float32"));
                if (!inline) {
                    return;
                }
            }
        }
    }

    private static List<ColumnStatistics> statistics(DatasetValues values) {
        List<ColumnStatistics> statistics = new ArrayList<>();
        int k = values.featureNames().size();
        int m = values.labelNames().size();
        for (int j = 0; j < k; j++) {
            statistics.add(ColumnStatistics.of(values.featureNames().get(j), "feature", values.features(), k, j,
                    values.rows()));
        }
        for (int j = 0; j < m; j++) {
            statistics.add(ColumnStatistics.of(values.labelNames().get(j), "label", values.labels(), m, j,
                    values.rows()));
        }
        return statistics;
    }

    private Map<String, Object> describe(DatasetSource source) {
        return json.readValue(json.writerFor(DatasetSource.class).writeValueAsString(source),
                new TypeReference<Map<String, Object>>() {
                });
    }

    private static long chooseSeed() {
        return ThreadLocalRandom.current().nextLong(MAX_CHOSEN_SEED);
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems);
        }
    }
}
