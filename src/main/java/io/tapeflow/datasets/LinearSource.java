package io.tapeflow.datasets;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * The reference's regression data: {@code X ~ U[low, high)^(samples × k)}, {@code y = X·w + b + N(0, noise²)} with
 * {@code k = weights.length}. Every field is optional; the defaults reproduce the reference exactly.
 */
@Schema(name = "LinearSource", description = "Regression data y = X·w + b + N(0, noise²), X ~ U[low, high). "
        + "Omitted fields take the reference's values.")
record LinearSource(
        @Schema(description = "Number of rows", example = "400", defaultValue = "400") @Positive Integer samples,
        @ArraySchema(arraySchema = @Schema(description = "w, one weight per feature", example = "[2.0, -3.0]"))
        @Size(min = 1, message = "must have at least one weight") float[] weights,
        @Schema(description = "b", example = "3.0", defaultValue = "3.0") Float bias,
        @Schema(description = "Standard deviation of the Gaussian noise", example = "2.0", defaultValue = "2.0")
        @PositiveOrZero Float noise,
        @Schema(description = "Lower bound of the features (inclusive)", example = "-10", defaultValue = "-10")
        Float low,
        @Schema(description = "Upper bound of the features (exclusive)", example = "10", defaultValue = "10")
        Float high) implements DatasetSource {

    LinearSource {
        samples = samples != null ? samples : 400;
        weights = weights != null ? weights : new float[] {2.0f, -3.0f};
        bias = bias != null ? bias : 3.0f;
        noise = noise != null ? noise : 2.0f;
        low = low != null ? low : -10.0f;
        high = high != null ? high : 10.0f;
    }
}
