package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A window of a dataset's rows")
record DatasetRows(
        @Schema(example = "0") int offset,
        @Schema(example = "100") int limit,
        @Schema(description = "Rows in the dataset", example = "400") int total,
        List<Row> rows) {

    @Schema(name = "DatasetRow", description = "One row: its index, feature values and label values")
    record Row(
            @Schema(example = "0") int index,
            @Schema(example = "[2.6161194, 0.11071014]") float[] features,
            @Schema(example = "[9.334667]") float[] labels) {
    }
}
