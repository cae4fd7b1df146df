package io.tapeflow.models;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /models/{id}/predictions}, as the OpenAPI document shows it. The handler reads the JSON
 * tree itself ({@link Instances}): an instance is a list of values in column order or an object keyed by column
 * name, so no fixed Java type describes it; this record only documents the two formats.
 */
@Schema(name = "PredictionRequest", description = "TF Serving's row format (instances) or column format (inputs): "
        + "give exactly one. Values are the dataset's raw columns: numbers, true/false, category names; null takes "
        + "the fill the dataset imputed")
record PredictionRequest(
        @Schema(description = "Rows: each a list of values in column order, or an object keyed by column name",
                example = "[[1.0, 2.0], {\"x1\": -3.5, \"x2\": 0.25}]") Object instances,
        @Schema(description = "Columns: an object of one list per column name (or a list of rows)",
                example = "{\"x1\": [1.0, -3.5], \"x2\": [2.0, 0.25]}") Object inputs) {
}
