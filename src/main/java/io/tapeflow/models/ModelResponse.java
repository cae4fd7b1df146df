package io.tapeflow.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model as {@code GET /models/{id}} shows it: where it came from, its architecture and signature, its named
 * parameters (nested by shape) and the metrics it was trained to.
 *
 * @param jobId  the training job that produced it; null for an imported model
 * @param origin {@code TRAINED} or {@code IMPORTED}
 * @param name   its job's name (null for none or an import); {@code tags} its job's tags
 */
public record ModelResponse(UUID id, UUID jobId, UUID datasetId, String kind, String origin, Instant createdAt,
        ModelDocument.Architecture architecture, ModelDocument.Signature signature,
        Map<String, ModelDocument.Parameter> parameters, ModelDocument.Training training, String name,
        List<String> tags) {
}
