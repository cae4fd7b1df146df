package io.tapeflow.datasets;

import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** Where a part made by {@code POST /datasets/{id}/split} came from; with it the split can be made again. */
@Schema(description = "The dataset a part was split from, and how")
record SplitParent(
        @Schema(description = "The parent dataset's id (it may since have been deleted)") UUID id,
        @Schema(description = "Which part this is", allowableValues = {"train", "validation", "test"},
                example = "train") String part,
        @Schema(description = "The fractions of the split, in train, validation, test order",
                example = "{\"train\": 0.8, \"test\": 0.2}") Map<String, Double> fractions,
        @Schema(description = "The shuffle's seed (given or chosen)", example = "1") long seed,
        @Schema(description = "Whether each class was split by the fractions", example = "true") boolean stratify) {
}
