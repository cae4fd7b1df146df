package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A window of a dataset's rows")
record DatasetRows(
        @Schema(description = "Index of the first row asked for", example = "0") int offset,
        @Schema(description = "Most rows asked for", example = "100") int limit,
        @Schema(description = "Rows in the dataset", example = "400") int total,
        @Schema(description = "The rows [offset, min(offset + limit, total))") List<Row> rows) {

    @Schema(name = "DatasetRow", description = "One row: its index, feature values and label values")
    record Row(
            @Schema(description = "0-based row index", example = "0") int index,
            @Schema(description = "Feature values, in featureNames order", example = "[4.831297, -6.801792]")
            float[] features,
            @Schema(description = "Label values, in labelNames order", example = "[31.532856]") float[] labels) {
    }
}
