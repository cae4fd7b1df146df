package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "One page of datasets, newest first")
record DatasetPage(
        List<DatasetResponse> items,
        @Schema(example = "0") int page,
        @Schema(example = "20") int size,
        @Schema(description = "Datasets in all pages", example = "1") long total) {
}
