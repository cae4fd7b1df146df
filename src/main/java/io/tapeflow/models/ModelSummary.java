package io.tapeflow.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A model in a list: everything but its parameters. */
public record ModelSummary(UUID id, UUID jobId, UUID datasetId, String kind, String origin, Instant createdAt,
        ModelDocument.Architecture architecture, ModelDocument.Signature signature,
        ModelDocument.Training training, String name, List<String> tags) {
}
