package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "One page of datasets, newest first")
record DatasetPage(
        @Schema(description = "The datasets of this page") List<DatasetResponse> items,
        @Schema(description = "0-based page number", example = "0") int page,
        @Schema(description = "Page size asked for", example = "20") int size,
        @Schema(description = "Datasets in all pages", example = "1") long total) {
}
