package io.tapeflow.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(description = "The parts made by a split, in train, validation, test order")
record SplitResponse(@Schema(description = "One new dataset per part") List<DatasetResponse> parts) {
}
