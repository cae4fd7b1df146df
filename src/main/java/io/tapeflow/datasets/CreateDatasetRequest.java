package io.tapeflow.datasets;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@Schema(description = "A dataset to create from a generator or from inline values")
record CreateDatasetRequest(
        @Schema(description = "A label for people; need not be unique", example = "reference linear regression")
        @NotBlank @Size(max = 200) String name,
        @Schema(description = "Seed of the generator; omitted ⇒ one is chosen and returned. "
                + "The same seed and source give the same rows.", example = "42")
        Long seed,
        @NotNull @Valid DatasetSource source) {
}
