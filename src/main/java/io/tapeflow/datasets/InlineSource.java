package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** Rows given in the request: {@code features[i]} and {@code labels[i]} form row i. */
@Schema(name = "InlineSource", description = "Rows given in the request; every row has the same widths.")
record InlineSource(
        @ArraySchema(arraySchema = @Schema(description = "One array of feature values per row",
                example = "[[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]"))
        @NotEmpty float[][] features,
        @ArraySchema(arraySchema = @Schema(description = "One array of label values per row",
                example = "[[0.0], [1.0], [1.0], [0.0]]"))
        @NotEmpty float[][] labels,
        @ArraySchema(arraySchema = @Schema(description = "Column names; default x1, x2, ...",
                example = "[\"a\", \"b\"]"))
        List<@NotNull String> featureNames,
        @ArraySchema(arraySchema = @Schema(description = "Column names; default y (one label) or y1, y2, ...",
                example = "[\"xor\"]"))
        List<@NotNull String> labelNames) implements DatasetSource {
}
