package io.tapeflow.training;

import java.util.List;
import java.util.UUID;

import io.tapeflow.training.TrainingJobRequest.EarlyStoppingSpec;
import io.tapeflow.training.TrainingJobRequest.ModelSpec;
import io.tapeflow.training.TrainingJobRequest.OptimizerSpec;

/**
 * A validated request with every default filled in: what a worker runs, stored as the job's {@code request}.
 * Nested specs are complete too (e.g. an {@code adam} optimizer carries its betas and epsilon).
 *
 * @param earlyStopping null when the run always goes to {@code epochs}
 * @param tags          never null (empty for none); jobs stored before tags existed read null
 * @param initialModelId the model whose parameters the job starts from; null to start from the seed
 */
public record TrainingSpec(UUID datasetId, ModelSpec model, String loss, OptimizerSpec optimizer, int epochs,
        int batchSize, boolean shuffle, long seed, double validationSplit, String execution,
        EarlyStoppingSpec earlyStopping, int maxRuntimeSeconds, String name, List<String> tags,
        UUID initialModelId) {
}
