package io.tapeflow.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tapeflow.datasets.Column;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.nn.Sequential;
import io.tapeflow.web.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads, predicts with, plots, exports and imports models. Models never change, so loaded ones are cached. */
class ModelService {

    private static final int CACHE_SIZE = 256;

    private final ModelRepository models;
    private final DatasetStore datasets;
    private final JsonMapper json;
    private final JsonMapper exactJson;
    private final int maxInstances;
    private final Map<UUID, Loaded> cache = new ConcurrentHashMap<>();

    /** A model ready to answer: its document, the engine model built from it and the columns it takes. */
    record Loaded(StoredModel row, ModelDocument document, Sequential model, List<Column> inputs) {
    }

    ModelService(ModelRepository models, DatasetStore datasets, JsonMapper json, int maxInstances) {
        this.models = models;
        this.datasets = datasets;
        this.json = json;
        // Imports read decimals as BigDecimal, so each value is rounded to float32 once: exports round-trip exactly.
        this.exactJson = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        this.maxInstances = maxInstances;
    }

    ModelResponse get(UUID id) {
        Loaded m = load(id);
        ModelDocument d = m.document();
        StoredModel r = m.row();
        return new ModelResponse(r.id(), r.jobId(), r.datasetId(), r.kind(), r.origin(), r.createdAt(),
                d.architecture(), d.signature(), d.parameters(), d.training(), r.name(), r.tags());
    }

    ModelPage list(int page, int size) {
        return list(ListFilter.NONE, page, size);
    }

    ModelPage list(ListFilter filter, int page, int size) {
        List<ModelSummary> items = new ArrayList<>();
        for (StoredModel r : models.list(filter, page * size, size)) {
            ModelDocument d = json.readValue(r.document(), ModelDocument.class);
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

    /** Forgets a model this replica may hold loaded (it was deleted). */
    void evict(UUID id) {
        cache.remove(id);
    }

    /**
     * Predictions in the request's format: {@code predictions} for rows, {@code outputs} for columns; a classifier
     * adds {@code classes}; {@code explain} adds {@code inputGradients}, per instance the gradient of each output
     * with respect to each input ({@code [outputs][inputs]}), from the engine's tape.
     */
    PredictionResponse predict(UUID id, JsonNode body, boolean explain) {
        Loaded m = load(id);
        ModelDocument.Signature s = m.document().signature();
        Instances.Parsed in = Instances.parse(body, s, m.inputs(), maxInstances);
        int n = in.rows();
        int outputs = s.outputs();
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
                    int from = (r * outputs + j) * k;
                    gradients[r][j] = Arrays.copyOfRange(g, from, from + k);
                }
            }
        }
        return in.columnFormat() ? new PredictionResponse(null, values, classes, gradients)
                : new PredictionResponse(values, null, classes, gradients);
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
                index[r] = Evaluation.argmax(y, r * outputs, outputs);
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

    ModelDocument export(UUID id) {
        return load(id).document();
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
        // Stored as this service writes documents, so the stored text is canonical whatever the import's layout.
        ModelDocument canonical = new ModelDocument(doc.format(), doc.version(),
                ModelCodec.architecture(doc.architecture().type(), model), doc.signature(),
                ModelCodec.parameters(model), doc.training());
        UUID datasetId = doc.training() == null ? null : doc.training().datasetId();
        StoredModel row = new StoredModel(UUID.randomUUID(), null, datasetId, doc.signature().kind(), "IMPORTED",
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

    Loaded load(UUID id) {
        Loaded cached = cache.get(id);
        if (cached != null) {
            return cached;
        }
        StoredModel row = models.find(id).orElseThrow(() -> ApiException.notFound("Model", id));
        ModelDocument doc = exactJson.readValue(row.document(), ModelDocument.class);
        Loaded loaded = new Loaded(row, doc, ModelCodec.model(doc), Instances.rawColumns(doc.signature()));
        if (cache.size() >= CACHE_SIZE) {
            cache.clear();
        }
        cache.put(id, loaded);
        return loaded;
    }

    private static float[][] rows(float[] y, int n, int width) {
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            out[r] = Arrays.copyOfRange(y, r * width, (r + 1) * width);
        }
        return out;
    }
}
