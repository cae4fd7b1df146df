package io.tapeflow.datasets;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The reference's classification data: two rings around the origin, radius {@code r + truncatedNormal(0, noise)},
 * angle {@code U[0, 2π)}; label 1 on the inner ring. Positives come first, then negatives, as in the reference.
 * Every field is optional; the defaults reproduce the reference.
 */
@Schema(name = "RingsSource", description = "Two noisy rings: label 1 on the inner ring, 0 on the outer one. "
        + "Omitted fields take the reference's values.")
record RingsSource(
        @Schema(description = "Rows on the inner ring (label 1)", example = "2000", defaultValue = "2000")
        @PositiveOrZero Integer positives,
        @Schema(description = "Rows on the outer ring (label 0)", example = "2000", defaultValue = "2000")
        @PositiveOrZero Integer negatives,
        @Schema(description = "Radius of the inner ring", example = "5.0", defaultValue = "5.0")
        @PositiveOrZero Float innerRadius,
        @Schema(description = "Radius of the outer ring", example = "8.0", defaultValue = "8.0")
        @PositiveOrZero Float outerRadius,
        @Schema(description = "Standard deviation of the radius (truncated at two deviations)", example = "1.0",
                defaultValue = "1.0")
        @PositiveOrZero Float noise) implements DatasetSource {

    RingsSource {
        positives = positives != null ? positives : 2000;
        negatives = negatives != null ? negatives : 2000;
        innerRadius = innerRadius != null ? innerRadius : 5.0f;
        outerRadius = outerRadius != null ? outerRadius : 8.0f;
        noise = noise != null ? noise : 1.0f;
    }
}
