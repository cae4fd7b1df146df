package io.tapeflow.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A {@code models} row: the model document (architecture, signature, named parameters, metrics) and where it came
 * from.
 *
 * @param jobId     the training job that produced it; null for an imported model
 * @param kind      {@code regressor} or {@code classifier}
 * @param origin    {@code TRAINED} or {@code IMPORTED}
 * @param createdAt set by the database on insert; null on a row not yet stored
 * @param name      the job's name, inherited; null for none
 * @param tags      the job's tags, inherited; never null
 */
public record StoredModel(UUID id, UUID jobId, UUID datasetId, String kind, String origin, Instant createdAt,
        String document, String name, List<String> tags) {

    public StoredModel {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A model without a name or tags (an import). */
    public StoredModel(UUID id, UUID jobId, UUID datasetId, String kind, String origin, Instant createdAt,
            String document) {
        this(id, jobId, datasetId, kind, origin, createdAt, document, null, List.of());
    }
}
