package io.tapeflow.datasets;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

@Schema(description = "How to split a dataset into parts")
record SplitRequest(
        @Schema(description = "Part name → fraction of the rows: train and test, or train, validation and test; "
                + "each > 0, summing to 1", example = "{\"train\": 0.8, \"test\": 0.2}")
        @NotNull Map<String, Double> fractions,
        @Schema(description = "Seed of the shuffle; omitted ⇒ one is chosen and returned in each part's parent. "
                + "The same seed gives the same rows.", example = "1")
        Long seed,
        @Schema(description = "Split each class of the single label column by the fractions, so every part keeps "
                + "the class proportions", defaultValue = "false", example = "true")
        Boolean stratify) {
}
