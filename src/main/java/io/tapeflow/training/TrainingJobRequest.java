package io.tapeflow.training;

import io.tapeflow.nn.OptimizerConfig;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /training-jobs}. Everything but {@code datasetId} and {@code model} has a default; the job
 * keeps the request with its defaults filled in ({@link TrainingSpec}), so a drawn seed is never lost. The defaults
 * of an {@code mlp} are scikit-learn's {@code MLPClassifier}/{@code MLPRegressor} ones (one hidden layer of 100
 * relu units, Adam at 0.001, batches of 200, 200 epochs, standardized inputs), so a table trained without tuning
 * scores as scikit-learn's does; the reference chapter's requests name every field and are unaffected.
 */
@Schema(description = "A training job: the dataset, the model and how to fit it. Only datasetId and model are "
        + "required; limits are in GET /api/v1/training-jobs?dryRun=true's budget and the README")
public record TrainingJobRequest(
        @Schema(description = "The dataset to train on (its features are the inputs, its labels the targets)",
                requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid")
        String datasetId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ModelSpec model,
        @Schema(description = "The loss. Default: binary_crossentropy for a sigmoid output, "
                + "sparse_categorical_crossentropy for softmax (categorical_crossentropy when the dataset has one "
                + "label column per class), else mse",
                allowableValues = {"half_mse", "mse", "binary_crossentropy", "categorical_crossentropy",
                        "sparse_categorical_crossentropy"})
        String loss,
        OptimizerSpec optimizer,
        @Schema(description = "Passes over the training rows", defaultValue = "200", minimum = "1",
                maximum = "10000") Integer epochs,
        @Schema(description = "Rows per step; larger than the training rows means the whole of them",
                defaultValue = "200", minimum = "1", maximum = "65536") Integer batchSize,
        @Schema(description = "Shuffle the training rows before each epoch", defaultValue = "true") Boolean shuffle,
        @Schema(description = "Seed of the initial values and the shuffles; omitted ⇒ drawn and recorded. Same "
                + "seed and request ⇒ bit-identical parameters", example = "1") Long seed,
        @Schema(description = "Fraction of the rows (the last ones, as Keras) held out to report val_ metrics "
                + "and an evaluation report stored with the model", defaultValue = "0", minimum = "0",
                exclusiveMaximum = true, maximum = "1") Double validationSplit,
        @Schema(description = "graph: traced once and run as a compiled plan; eager: the tape op by op (same "
                + "numbers, slower)", allowableValues = {"graph", "eager"}, defaultValue = "graph")
        String execution,
        EarlyStoppingSpec earlyStopping,
        @Schema(description = "Ends the job FAILED/TIMED_OUT after this long", defaultValue = "3600",
                minimum = "1", maximum = "3600") Integer maxRuntimeSeconds,
        @Schema(description = "A name to find the job (and its model, which inherits it) by; no control "
                + "characters", maxLength = 200, example = "rings baseline") String name,
        @ArraySchema(arraySchema = @Schema(description = "Free-form tags, inherited by the model; a list filters "
                + "by one (?tag=)", example = "[\"rings\", \"baseline\"]"),
                schema = @Schema(maxLength = 50), maxItems = 20) List<String> tags,
        @Schema(description = "Start from this trained model's parameters (same architecture, standardization and "
                + "feature names as this job's model, checked before queuing). The optimizer starts fresh, unless "
                + "the model comes from a job ended by /stop and this is that job's request: then the run goes on "
                + "from the stopped epoch with its optimizer state, as if it had never stopped",
                format = "uuid") String initialModelId) {

    /**
     * @param type         {@code linear} (the reference's {@code y = x·w + b}) or {@code mlp}
     * @param hiddenLayers widths of the hidden layers of an {@code mlp}
     * @param activation   of the hidden layers: {@code relu}, {@code sigmoid}, {@code tanh} or {@code linear}
     * @param output       activation of the output layer: {@code linear}, {@code sigmoid} or {@code softmax}
     * @param initializer  of the kernels: {@code zeros}, {@code ones}, {@code normal}, {@code uniform},
     *                     {@code truncated_normal}, {@code glorot_uniform} or {@code he_normal}; biases start at 0
     * @param standardize  z-score the inputs with the training rows' mean and std, inside the model
     */
    @Schema(name = "TrainingModel", description = "The model to train")
    public record ModelSpec(
            @Schema(description = "linear: the reference's y = x·w + b; mlp: dense layers",
                    allowableValues = {"linear", "mlp"}, defaultValue = "mlp") String type,
            @ArraySchema(arraySchema = @Schema(description = "Widths of the hidden layers of an mlp (none for "
                    + "linear); default [100]", example = "[4, 8]"),
                    schema = @Schema(minimum = "1", maximum = "4096"), maxItems = 16)
            List<Integer> hiddenLayers,
            @Schema(description = "Activation of the hidden layers",
                    allowableValues = {"linear", "relu", "sigmoid", "tanh"}, defaultValue = "relu")
            String activation,
            @Schema(description = "Activation of the output layer. Default: inferred from the labels (a categorical "
                    + "label column: sigmoid for two classes, softmax for more; otherwise linear)",
                    allowableValues = {"linear", "sigmoid", "softmax"}) String output,
            @Schema(description = "Initial values of the kernels (biases start at 0)",
                    allowableValues = {"zeros", "ones", "normal", "uniform", "truncated_normal", "glorot_uniform",
                            "he_normal"}, defaultValue = "glorot_uniform") String initializer,
            @Schema(description = "Standardize the inputs inside the model: (x − mean) / std with the training "
                    + "rows' statistics, applied in training, predictions, explanations and plots, and exported "
                    + "with the model. Default: true for mlp, false for linear (whose parameters then stay in "
                    + "the raw units of the features)") Boolean standardize) {
    }

    /**
     * @param type         {@code sgd}, {@code adam} or {@code rmsprop}
     * @param momentum     sgd only
     * @param nesterov     sgd only, needs momentum
     * @param beta1        adam only
     * @param beta2        adam only
     * @param rho          rmsprop only
     * @param epsilon      adam and rmsprop
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TrainingOptimizer", description = "The optimizer (Keras's formulas and defaults); default adam")
    public record OptimizerSpec(
            @Schema(allowableValues = {"sgd", "adam", "rmsprop"}, defaultValue = "adam") String type,
            @Schema(description = "Step size; default 0.01 for sgd, 0.001 for adam and rmsprop",
                    exclusiveMinimum = true, minimum = "0", maximum = "10") Double learningRate,
            @Schema(description = "sgd only", defaultValue = "0", minimum = "0", maximum = "1",
                    exclusiveMaximum = true) Double momentum,
            @Schema(description = "sgd only; needs a momentum above 0", defaultValue = "false") Boolean nesterov,
            @Schema(description = "adam only", defaultValue = "0.9", minimum = "0", maximum = "1",
                    exclusiveMaximum = true) Double beta1,
            @Schema(description = "adam only", defaultValue = "0.999", minimum = "0", maximum = "1",
                    exclusiveMaximum = true) Double beta2,
            @Schema(description = "rmsprop only", defaultValue = "0.9", minimum = "0", maximum = "1",
                    exclusiveMaximum = true) Double rho,
            @Schema(description = "adam and rmsprop", defaultValue = "1e-7", exclusiveMinimum = true,
                    minimum = "0", maximum = "1") Double epsilon) {

        /** The engine's optimizer for a validated spec (every field filled in by the validator). */
        public OptimizerConfig config() {
            float lr = learningRate.floatValue();
            return switch (OptimizerConfig.Kind.byName(type)) {
                case ADAM -> OptimizerConfig.adam(lr, beta1.floatValue(), beta2.floatValue(), epsilon.floatValue());
                case RMSPROP -> OptimizerConfig.rmsprop(lr, rho.floatValue(), epsilon.floatValue());
                case SGD -> OptimizerConfig.sgd(lr, momentum.floatValue(), nesterov);
            };
        }
    }

    /**
     * @param monitor  {@code loss} or {@code val_loss}
     * @param patience epochs without an improvement of more than {@code minDelta} before training stops
     */
    @Schema(name = "TrainingEarlyStopping", description = "Stop when the monitored loss stops improving (Keras)")
    public record EarlyStoppingSpec(
            @Schema(allowableValues = {"loss", "val_loss"}, defaultValue = "loss") String monitor,
            @Schema(description = "Epochs without an improvement before stopping", defaultValue = "10",
                    minimum = "0") Integer patience,
            @Schema(description = "The least decrease that counts as an improvement", defaultValue = "0",
                    minimum = "0") Double minDelta) {
    }
}
