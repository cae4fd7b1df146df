package io.tapeflow.datasets;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "A stored dataset, without its values (see /rows)")
record DatasetResponse(
        UUID id,
        @Schema(example = "reference linear regression") String name,
        @Schema(example = "400") int rows,
        @Schema(example = "[\"x1\", \"x2\"]") List<String> featureNames,
        @Schema(example = "[\"y\"]") List<String> labelNames,
        @Schema(description = "The source with every default filled in; inline values are not repeated",
                example = "{\"type\":\"linear\",\"samples\":400,\"weights\":[2.0,-3.0],\"bias\":3.0,\"noise\":2.0,"
                        + "\"low\":-10.0,\"high\":10.0}")
        Map<String, Object> source,
        @Schema(description = "The generator's seed (null for inline and CSV data)", example = "42") Long seed,
        @Schema(description = "One entry per feature, then one per label") List<ColumnStatistics> statistics,
        Instant createdAt) {
}
