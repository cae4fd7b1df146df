package io.tapeflow.datasets;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Gaussian blobs, like scikit-learn's {@code make_blobs}: {@code classes} centres drawn uniformly in
 * {@code [-1, 1)^features}, and each row its class's centre plus {@code N(0, spread²)} noise per feature; row
 * {@code i} is of class {@code i mod classes}, so any tail of the rows holds every class. The label is the class
 * index. Sized by default like the W3 benchmark (784 features, 10 classes), for timing a softmax job end to end.
 */
@Schema(name = "BlobsSource", description = "Gaussian blobs around random class centres (scikit-learn's "
        + "make_blobs); the label is the class index 0..classes-1. Omitted fields take the W3 benchmark's shape.")
record BlobsSource(
        @Schema(description = "Rows", example = "10000", defaultValue = "10000") @PositiveOrZero Integer samples,
        @Schema(description = "Feature columns", example = "784", defaultValue = "784") @PositiveOrZero
        Integer features,
        @Schema(description = "Classes (at least 2)", example = "10", defaultValue = "10") @PositiveOrZero
        Integer classes,
        @Schema(description = "Standard deviation of the noise around each centre", example = "1.0",
                defaultValue = "1.0") @PositiveOrZero Float spread) implements DatasetSource {

    BlobsSource {
        samples = samples != null ? samples : 10_000;
        features = features != null ? features : 784;
        classes = classes != null ? classes : 10;
        spread = spread != null ? spread : 1.0f;
    }
}
