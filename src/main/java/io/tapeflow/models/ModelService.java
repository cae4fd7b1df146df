package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tapeflow.datasets.Column;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.nn.Metric;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads, predicts with, plots, exports and imports models. Models never change, so loaded ones are cached: as the
 * engine model's float arrays and the document's small head, never as the parsed document (boxed numbers, ~50
 * bytes a parameter: a 5.9 M-parameter model held 280 MB), in a cache bounded in bytes.
 */
class ModelService {

    /** Bytes a cached model holds besides its parameters: the signature, columns, names, the engine objects. */
    private static final long ENTRY_OVERHEAD = 16_384;
    /** Bytes per input the signature holds (names, ranges as boxed floats, columns). */
    private static final long BYTES_PER_INPUT = 128;

    private final ModelRepository models;
    private final DatasetStore datasets;
    private final JsonMapper json;
    private final JsonMapper exactJson;
    private final int maxInstances;
    private final long maxExplainValues;
    /** Futures, so concurrent first calls on one model parse it once, and a long parse locks nothing else. */
    private final AsyncCache<UUID, Loaded> cache;
    /** The start-up warm-up's model, and whether a user has asked for predictions since start (its cue to stop). */
    private volatile UUID unstored;
    private volatile boolean usersPredicting;

    /**
     * A model ready to answer: its row and document without the parameters (their values live only in the engine
     * model), the engine model built from them and the columns it takes.
     */
    record Loaded(StoredModel row, ModelDocument document, Sequential model, List<Column> inputs) {

        /** About the bytes this entry holds: 4 a parameter (float32) plus the head. */
        int weight() {
            long bytes = 4L * model.parameterCount() + ENTRY_OVERHEAD + BYTES_PER_INPUT * model.inputWidth();
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }
    }

    /**
     * The document without its parameters, for lists: the parser skips the parameters' text instead of building
     * millions of boxed numbers only to drop them.
     */
    @JsonIgnoreProperties("parameters")
    record Head(String format, Integer version, ModelDocument.Architecture architecture,
            ModelDocument.Signature signature, ModelDocument.Training training) {
    }

    ModelService(ModelRepository models, DatasetStore datasets, JsonMapper json, ModelsProperties settings) {
        this.models = models;
        this.datasets = datasets;
        this.json = json;
        // Imports read decimals as BigDecimal, so each value is rounded to float32 once: exports round-trip exactly.
        this.exactJson = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        this.maxInstances = settings.maxInstances();
        this.maxExplainValues = settings.maxExplainValues();
        this.cache = Caffeine.newBuilder().maximumWeight(settings.cacheBytes().toBytes())
                .weigher((UUID id, Loaded m) -> m.weight()).buildAsync();
    }

    /** Re-reads the document: the cache does not keep the parameters in the nested form this answer shows. */
    ModelResponse get(UUID id) {
        StoredModel r = find(id);
        ModelDocument d = exactJson.readValue(r.document(), ModelDocument.class);
        return new ModelResponse(r.id(), r.jobId(), r.datasetId(), r.kind(), r.origin(), r.createdAt(),
                d.architecture(), d.signature(), d.parameters(), d.training(), r.name(), r.tags());
    }

    ModelPage list(int page, int size) {
        return list(ListFilter.NONE, page, size);
    }

    ModelPage list(ListFilter filter, int page, int size) {
        List<ModelSummary> items = new ArrayList<>();
        for (StoredModel r : models.list(filter, page * size, size)) {
            Head d = json.readValue(r.document(), Head.class);
            items.add(new ModelSummary(r.id(), r.jobId(), r.datasetId(), r.kind(), r.origin(), r.createdAt(),
                    d.architecture(), d.signature(), d.training(), r.name(), r.tags()));
        }
        return new ModelPage(items, page, size, models.count(filter));
    }

    /**
     * Deletes the model and its evaluation reports, and forgets its cached copy; a 409 while a queued or running
     * job starts from it (the rule datasets follow too: what an active job still needs cannot go).
     */
    void delete(UUID id) {
        if (models.deleteUnlessInUse(id) == 1) {
            evict(id);
            return;
        }
        if (models.find(id).isEmpty()) {
            throw ApiException.notFound("Model", id);
        }
        throw ApiException.conflict("Model " + id + " is the initialModelId of a queued or running training job; "
                + "cancel the job or wait until it has finished");
    }

    /**
     * Predictions in the request's format: {@code predictions} for rows, {@code outputs} for columns; a classifier
     * adds {@code classes}; {@code explain} adds {@code inputGradients}, per instance the gradient of each output
     * with respect to each input ({@code [outputs][inputs]}), from the engine's tape.
     */
    PredictionResponse predict(UUID id, JsonNode body, boolean explain) {
        if (!usersPredicting && !id.equals(unstored)) {
            usersPredicting = true; // read first, so that the hot path writes the shared field once
        }
        Loaded m = load(id);
        ModelDocument.Signature s = m.document().signature();
        Instances.Parsed in = Instances.parse(body, s, m.inputs(), maxInstances);
        int n = in.rows();
        int outputs = s.outputs();
        if (explain) {
            requireExplainable(in, outputs, s.inputs());
        }
        float[] y = m.model().predict(in.features(), n);
        float[][] values = rows(y, n, outputs);
        Object classes = "classifier".equals(s.kind()) ? classes(m.document().architecture().output(), s, y, n)
                : null;
        float[][][] gradients = null;
        if (explain) {
            int k = s.inputs();
            float[] g = m.model().inputGradients(in.features(), n);
            gradients = new float[n][outputs][];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < outputs; j++) {
                    int from = Math.toIntExact(((long) r * outputs + j) * k);
                    gradients[r][j] = Arrays.copyOfRange(g, from, from + k);
                }
            }
        }
        return in.columnFormat() ? new PredictionResponse(null, values, classes, gradients)
                : new PredictionResponse(values, null, classes, gradients);
    }

    /**
     * An explanation holds instances × outputs × inputs gradients, in the engine and again in the answer (about 12
     * bytes each as JSON): 100 instances of a 1000-input, 1000-output model were a 401 MB answer, 1 000 ran the heap
     * out. Priced in longs before the engine runs, so no size overflows.
     */
    private void requireExplainable(Instances.Parsed in, int outputs, int inputs) {
        long perInstance = (long) outputs * inputs;
        long values = in.rows() * perInstance;
        if (values > maxExplainValues) {
            throw ApiException.badRequest(in.columnFormat() ? "inputs" : "instances", "explain=true answers "
                    + "instances × outputs × inputs = " + in.rows() + " × " + outputs + " × " + inputs + " = "
                    + values + " gradients, over the limit of " + maxExplainValues
                    + " (tapeflow.models.max-explain-values): send at most "
                    + Math.max(0, maxExplainValues / perInstance) + " instances per call");
        }
    }

    /**
     * A classifier's classes: per instance the argmax of a softmax (its class name where the model has names),
     * or per output of a sigmoid 1 where the probability is above the threshold, else 0 (the class names, with
     * one output and names). The cut-off is the accuracy metric's and the evaluation reports' one.
     */
    static Object classes(String output, ModelDocument.Signature s, float[] y, int n) {
        int outputs = s.outputs();
        List<String> names = s.classNames();
        if ("softmax".equals(output)) {
            int[] index = new int[n];
            for (int r = 0; r < n; r++) {
                index[r] = Metric.argmax(y, r * outputs, outputs);
            }
            if (names == null) {
                return index;
            }
            String[] named = new String[n];
            for (int r = 0; r < n; r++) {
                named[r] = names.get(index[r]);
            }
            return named;
        }
        float threshold = s.threshold().floatValue();
        if (names != null && outputs == 1) {
            String[][] named = new String[n][1];
            for (int r = 0; r < n; r++) {
                named[r][0] = names.get(y[r] > threshold ? 1 : 0);
            }
            return named;
        }
        int[][] classes = new int[n][outputs];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < outputs; j++) {
                classes[r][j] = y[r * outputs + j] > threshold ? 1 : 0;
            }
        }
        return classes;
    }

    /** Re-read from the database: the cache keeps no document with its parameters. */
    ModelDocument export(UUID id) {
        return exactJson.readValue(find(id).document(), ModelDocument.class);
    }

    /** The weight (about the bytes) the cached models hold now, after any pending eviction. */
    long cachedBytes() {
        cache.synchronous().cleanUp();
        return cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    /** Drops a model from the cache (a deleted model must not answer from it). */
    void evict(UUID id) {
        cache.synchronous().invalidate(id);
    }

    /** Stores a copy of an exported model under a new id after checking it completely. */
    ModelResponse importModel(byte[] body) {
        ModelDocument doc;
        try {
            doc = exactJson.readValue(body, ModelDocument.class);
        } catch (JacksonException e) {
            throw ApiException.badRequest("body", "is not a model document: " + e.getOriginalMessage());
        }
        if (doc == null) {
            throw ApiException.badRequest("body", "a model document is required");
        }
        ModelCodec.requireValid(doc);
        Sequential model = ModelCodec.model(doc);
        ModelDocument head = withoutParameters(doc);
        doc = null; // the boxed values may go before the canonical ones are built: one boxed copy at a time
        // Stored as this service writes documents, so the stored text is canonical whatever the import's layout.
        ModelDocument canonical = new ModelDocument(head.format(), head.version(),
                ModelCodec.architecture(head.architecture().type(), model), head.signature(),
                ModelCodec.parameters(model), head.training());
        UUID datasetId = head.training() == null ? null : head.training().datasetId();
        StoredModel row = new StoredModel(UUID.randomUUID(), null, datasetId, head.signature().kind(), "IMPORTED",
                null, json.writeValueAsString(canonical));
        models.insert(row);
        return get(row.id());
    }

    String plot(UUID id) {
        Loaded m = load(id);
        Optional<DatasetData> data = m.row().datasetId() == null ? Optional.empty()
                : datasets.load(m.row().datasetId());
        return ModelPlot.svg(m.document(), m.model(), data.orElse(null));
    }

    /**
     * The model from the cache, else read and built by this thread while later callers for the same id wait for it
     * (the parse holds the boxed document for a moment: sixteen at once were sixteen copies). A failure (an unknown
     * id) is not cached.
     */
    Loaded load(UUID id) {
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> existing = cache.asMap().putIfAbsent(id, mine);
        if (existing == null) {
            try {
                mine.complete(read(id));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                cache.asMap().remove(id, mine);
                throw e;
            }
            return mine.join();
        }
        try {
            return existing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Answers for {@code row} from the cache alone, until {@link #evict}: the start-up warm-up's model, which is
     * never stored, so nothing else (lists, exports, other replicas) sees it.
     */
    void serveUnstored(StoredModel row) {
        unstored = row.id();
        cache.put(row.id(), CompletableFuture.completedFuture(loaded(row)));
    }

    /** Whether anyone but the warm-up has asked for predictions since start. */
    boolean usersPredicting() {
        return usersPredicting;
    }

    private Loaded read(UUID id) {
        return loaded(find(id));
    }

    private Loaded loaded(StoredModel row) {
        ModelDocument doc = exactJson.readValue(row.document(), ModelDocument.class);
        Sequential model = ModelCodec.model(doc);
        StoredModel light = new StoredModel(row.id(), row.jobId(), row.datasetId(), row.kind(), row.origin(),
                row.createdAt(), null);
        return new Loaded(light, withoutParameters(doc), model, Instances.rawColumns(doc.signature()));
    }

    private StoredModel find(UUID id) {
        return models.find(id).orElseThrow(() -> ApiException.notFound("Model", id));
    }

    private static ModelDocument withoutParameters(ModelDocument d) {
        return new ModelDocument(d.format(), d.version(), d.architecture(), d.signature(), null, d.training());
    }

    private static float[][] rows(float[] y, int n, int width) {
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            out[r] = Arrays.copyOfRange(y, r * width, (r + 1) * width);
        }
        return out;
    }
}
