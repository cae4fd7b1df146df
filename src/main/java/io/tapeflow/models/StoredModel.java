package io.tapeflow.models;

import java.time.Instant;
import java.util.UUID;

/**
 * A {@code models} row: the model document (architecture, signature, named parameters, metrics) and where it came
 * from.
 *
 * @param jobId     the training job that produced it; null for an imported model
 * @param kind      {@code regressor} or {@code classifier}
 * @param origin    {@code TRAINED} or {@code IMPORTED}
 * @param createdAt set by the database on insert; null on a row not yet stored
 */
public record StoredModel(UUID id, UUID jobId, UUID datasetId, String kind, String origin, Instant createdAt,
        String document) {
}
