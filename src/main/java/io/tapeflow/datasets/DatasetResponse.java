package io.tapeflow.datasets;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A stored dataset, without its values (see /rows)")
record DatasetResponse(
        @Schema(description = "The dataset's id, used by /api/v1/training-jobs as datasetId",
                example = "162dac76-bbea-4154-8b54-26c3aa91add0") UUID id,
        @Schema(description = "The name given at creation", example = "reference linear regression") String name,
        @Schema(description = "Number of rows", example = "400") int rows,
        @Schema(description = "Feature column names, in column order", example = "[\"x1\", \"x2\"]")
        List<String> featureNames,
        @Schema(description = "Label column names, in column order", example = "[\"y\"]") List<String> labelNames,
        @Schema(description = "The raw columns in file order (features and labels) with their types, vocabularies "
                + "and fills; featureNames are their expanded names") List<Column> columns,
        @Schema(description = "Class names of the single categorical label column (index = class), else null",
                example = "[\"setosa\", \"versicolor\", \"virginica\"]") List<String> classNames,
        @Schema(description = "What the upload did with missing cells (refuse for generated and inline data)",
                allowableValues = {"refuse", "mean", "most_frequent"}, example = "refuse") String missing,
        @Schema(description = "The source with every default filled in; inline values are not repeated",
                example = "{\"type\":\"linear\",\"samples\":400,\"weights\":[2.0,-3.0],\"bias\":3.0,\"noise\":2.0,"
                        + "\"low\":-10.0,\"high\":10.0}")
        Map<String, Object> source,
        @Schema(description = "The generator's seed (null for inline and CSV data)", example = "42") Long seed,
        @Schema(description = "For a part made by /split: its parent and the split; null otherwise")
        SplitParent parent,
        @Schema(description = "One entry per feature, then one per label") List<ColumnStatistics> statistics,
        @Schema(description = "Creation time (UTC)", example = "2026-11-25T12:36:26.095642Z") Instant createdAt) {
}
