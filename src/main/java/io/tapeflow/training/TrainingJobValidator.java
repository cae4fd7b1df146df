package io.tapeflow.training;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.tapeflow.models.Labels;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.ExecutionMode;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Loss;
import io.tapeflow.nn.OptimizerConfig;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Trainer;
import io.tapeflow.training.TrainingJobRequest.EarlyStoppingSpec;
import io.tapeflow.training.TrainingJobRequest.ModelSpec;
import io.tapeflow.training.TrainingJobRequest.OptimizerSpec;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/**
 * Checks a training request completely before a job is accepted (nothing a client could have seen in the request
 * may fail the job later), fills in the defaults, and prices the job against the budget.
 */
final class TrainingJobValidator {

    static final Set<String> MODEL_TYPES = Set.of("linear", "mlp");
    // The names are the nn enums' own; these are the subsets the API offers (softmax is an output only, the
    // from-logits losses are internal).
    static final Set<String> ACTIVATIONS = names(EnumSet.of(Activation.LINEAR, Activation.RELU, Activation.SIGMOID,
            Activation.TANH), Activation::apiName);
    static final Set<String> OUTPUTS = names(EnumSet.of(Activation.LINEAR, Activation.SIGMOID, Activation.SOFTMAX),
            Activation::apiName);
    static final Set<String> INITIALIZERS = names(EnumSet.allOf(Initializer.class), Initializer::apiName);
    static final Set<String> LOSSES = names(EnumSet.of(Loss.HALF_MSE, Loss.MSE, Loss.BINARY_CROSSENTROPY,
            Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY), Loss::apiName);
    static final Set<String> OPTIMIZERS = names(EnumSet.allOf(OptimizerConfig.Kind.class),
            OptimizerConfig.Kind::apiName);
    static final Set<String> EXECUTIONS = names(EnumSet.allOf(ExecutionMode.class), ExecutionMode::apiName);
    static final Set<String> MONITORS = Set.of("loss", "val_loss");

    /** scikit-learn's MLP defaults: one hidden layer of 100 units, batches of 200, 200 epochs, Adam. */
    static final List<Integer> DEFAULT_HIDDEN = List.of(100);
    static final int DEFAULT_EPOCHS = 200;
    static final int DEFAULT_BATCH = 200;

    private final TrainingProperties settings;
    private final TrainingProperties.Limits limits;

    TrainingJobValidator(TrainingProperties settings) {
        this.settings = settings;
        this.limits = settings.limits();
    }

    /** The dataset id, or a 400 when it is missing or not a UUID (an unknown one is the caller's 404). */
    UUID datasetId(TrainingJobRequest request) {
        return ApiException.requireId("datasetId", request.datasetId(), "a dataset id");
    }

    private static UUID uuid(String value, String field, String what, List<FieldProblem> errors) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldProblem(field, "must be " + what + " (a UUID), got '" + value + "'"));
            return null;
        }
    }

    /** The complete spec, or a 400 listing every problem at once. */
    TrainingSpec validate(TrainingJobRequest r, UUID datasetId, DataShape data) {
        List<FieldProblem> errors = new ArrayList<>();
        ModelSpec model = model(r.model(), data, errors);
        String loss = r.loss() == null ? defaultLoss(model == null ? "linear" : model.output(), data) : r.loss();
        if (!LOSSES.contains(loss)) {
            errors.add(oneOf("loss", loss, LOSSES));
        } else if (model != null) {
            checkLabels(Loss.byName(loss), Activation.byName(model.output()), data, errors);
        }
        OptimizerSpec optimizer = optimizer(r.optimizer(), errors);
        int epochs = range(errors, "epochs", r.epochs(), DEFAULT_EPOCHS, 1, limits.maxEpochs());
        int batchSize = range(errors, "batchSize", r.batchSize(), DEFAULT_BATCH, 1, limits.maxBatchSize());
        boolean shuffle = r.shuffle() == null || r.shuffle();
        long seed = r.seed() != null ? r.seed() : ThreadLocalRandom.current().nextLong(1L << 53);
        double split = r.validationSplit() == null ? 0.0 : r.validationSplit();
        if (!(split >= 0.0 && split < 1.0)) {
            errors.add(new FieldProblem("validationSplit", "must be at least 0 and less than 1, got " + split));
        } else if (split > 0 && (validationRows(data.rows(), split) == 0
                || validationRows(data.rows(), split) == data.rows())) {
            errors.add(new FieldProblem("validationSplit", "leaves no " + (validationRows(data.rows(), split) == 0
                    ? "validation" : "training") + " rows of the dataset's " + data.rows()));
        }
        String execution = r.execution() == null ? "graph" : r.execution();
        if (!EXECUTIONS.contains(execution)) {
            errors.add(oneOf("execution", execution, EXECUTIONS));
        }
        EarlyStoppingSpec earlyStopping = earlyStopping(r.earlyStopping(), split, errors);
        int maxRuntime = range(errors, "maxRuntimeSeconds", r.maxRuntimeSeconds(), limits.maxRuntimeSeconds(), 1,
                limits.maxRuntimeSeconds());
        if (data.features() == 0) {
            errors.add(new FieldProblem("datasetId", "the dataset has no feature columns to learn from"));
        }
        Labels.checkName(r.name(), "name", errors);
        List<String> tags = Labels.checkTags(r.tags(), "tags", errors);
        UUID initialModelId = uuid(r.initialModelId(), "initialModelId", "a model id", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return new TrainingSpec(datasetId, model, loss, optimizer, epochs, batchSize, shuffle, seed, split,
                execution, earlyStopping, maxRuntime, r.name(), tags, initialModelId);
    }

    /** Prices the job; a 422 naming what exceeds the budget unless {@code dryRun}, which only reports. */
    Estimate estimate(TrainingSpec spec, DataShape data) {
        int[] widths = widths(spec.model(), data.features(), outputWidth(spec, data));
        boolean standardized = Boolean.TRUE.equals(spec.model().standardize());
        long parameters = Sequential.parameterCount(widths);
        long constants = Sequential.parameterCount(widths, standardized) - parameters;
        long activations = 0;
        for (int i = 1; i < widths.length; i++) {
            activations += widths[i];
        }
        int validationRows = validationRows(data.rows(), spec.validationSplit());
        int trainingRows = data.rows() - validationRows;
        int stepsPerEpoch = Trainer.stepsPerEpoch(trainingRows, spec.batchSize());
        long steps = (long) stepsPerEpoch * spec.epochs();
        long work = saturatingMultiply(saturatingMultiply(data.rows(), spec.epochs()), parameters);
        int slots = spec.optimizer().config().slots();
        long batch = Math.min(spec.batchSize(), Math.max(1, trainingRows));
        long checkpoint = checkpointBytes(parameters, constants, slots, 2 * (widths.length - 1)
                + (standardized ? 2 : 0));
        // A checkpoint is serialized into a growing buffer, copied out of it and handed to the database driver:
        // three transient copies beside the live model.
        long memory = 4L * (parameters * (2 + slots) + 3 * batch * (activations + data.features())
                + (long) data.rows() * (data.features() + data.outputs())) + 3 * checkpoint;
        // Per-step overhead dominates tiny models; throughput dominates large ones.
        double seconds = 3.0 * work / limits.estimatedWorkPerSecond() + steps * 20e-6;
        return new Estimate((int) Math.min(Integer.MAX_VALUE, parameters), trainingRows, validationRows,
                stepsPerEpoch, steps, work, memory, checkpoint, seconds);
    }

    /** The budget items the estimate exceeds, each naming the limit. */
    List<FieldProblem> overBudget(Estimate e) {
        List<FieldProblem> problems = new ArrayList<>();
        if (e.work() > limits.maxWork()) {
            problems.add(new FieldProblem("estimate.work", "rows × epochs × parameters = " + e.work()
                    + " exceeds the budget of " + limits.maxWork() + "; use fewer epochs, a smaller model or less data"));
        }
        long memoryBudget = settings.memoryBudget();
        if (e.memoryBytes() > memoryBudget) {
            problems.add(new FieldProblem("estimate.memoryBytes", e.memoryBytes() + " bytes exceed the budget of "
                    + memoryBudget + " (tapeflow.training.limits.max-memory-bytes, at most the heap's share per "
                    + "worker); use a smaller model, batch size or dataset"));
        }
        if (e.checkpointBytes() > limits.maxCheckpointBytes()) {
            problems.add(new FieldProblem("estimate.checkpointBytes", "a checkpoint of " + e.checkpointBytes()
                    + " bytes exceeds the budget of " + limits.maxCheckpointBytes()
                    + " (tapeflow.training.limits.max-checkpoint-bytes); use a smaller model or an optimizer "
                    + "with fewer slots (sgd without momentum has none, adam two per parameter)"));
        }
        if (e.expectedSeconds() > limits.maxExpectedSeconds()) {
            problems.add(new FieldProblem("estimate.expectedSeconds", "about " + Math.round(e.expectedSeconds())
                    + " s exceeds the budget of " + limits.maxExpectedSeconds() + " s"));
        }
        return problems;
    }

    /**
     * The size {@link Checkpoints#size} gives a fit's state: each float32 of the trainable parameters and their
     * optimizer slots and of the constants (a standardization's mean and std), a length per array, and a small
     * bounded overhead for the names and counters.
     */
    static long checkpointBytes(long parameters, long constants, int slotsPerParameter, int variables) {
        long arrays = variables * (1L + slotsPerParameter);
        return 4L * (parameters * (1 + slotsPerParameter) + constants) + 4 * arrays + 32L * variables + 64;
    }

    static int validationRows(int rows, double split) {
        // As the fit loop splits (Keras's rule, the float32 split): the last fraction of the rows, never shuffled.
        return rows - Trainer.trainingRows(rows, (float) split);
    }

    /** The layer widths {@code [inputs, hidden..., outputs]}. */
    static int[] widths(ModelSpec model, int features, int outputs) {
        int[] widths = new int[model.hiddenLayers().size() + 2];
        widths[0] = features;
        for (int i = 0; i < model.hiddenLayers().size(); i++) {
            widths[i + 1] = model.hiddenLayers().get(i);
        }
        widths[widths.length - 1] = outputs;
        return widths;
    }

    /**
     * The model's output width: one probability per class for the sparse loss (which reads one label column of
     * class indices), else one output per label column.
     */
    static int outputWidth(TrainingSpec spec, DataShape data) {
        return Loss.byName(spec.loss()) == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? classCount(data) : data.outputs();
    }

    /**
     * The classes of a single label column: its class names where it is categorical, else the largest label
     * plus one (labels 0..K−1; {@link #checkLabels} refuses anything else first).
     */
    static int classCount(DataShape data) {
        if (data.classNames() != null) {
            return data.classNames().size();
        }
        float max = 0;
        for (float v : data.labels()) {
            max = Math.max(max, v);
        }
        return max >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : (int) max + 1;
    }

    /**
     * The loss for a model output when the request names none: cross-entropy for the probability outputs (the
     * one-hot form when the dataset has a label column per class), else the mean squared error.
     */
    private static String defaultLoss(String output, DataShape data) {
        return switch (Activation.byName(output)) {
            case SIGMOID -> Loss.BINARY_CROSSENTROPY.apiName();
            case SOFTMAX -> (data.outputs() > 1 ? Loss.CATEGORICAL_CROSSENTROPY
                    : Loss.SPARSE_CATEGORICAL_CROSSENTROPY).apiName();
            case LINEAR, RELU, TANH -> Loss.MSE.apiName();
        };
    }

    /** The output activation when the request names none: the label column's classes decide. */
    private static String defaultOutput(DataShape data) {
        if (data.classNames() == null || data.outputs() != 1) {
            return Activation.LINEAR.apiName();
        }
        return (data.classNames().size() == 2 ? Activation.SIGMOID : Activation.SOFTMAX).apiName();
    }

    /**
     * Whether the dataset's labels are what the loss and the output need, before anything is queued: probabilities
     * for cross-entropy, class indices (or one-hot rows) for the softmax losses, and never class names for a
     * regression. Each refusal names the first row that is not a class.
     */
    private void checkLabels(Loss loss, Activation output, DataShape data, List<FieldProblem> errors) {
        String labels = data.classNames() == null ? "" : " (the label column '" + data.labelNames().get(0)
                + "' has the classes " + data.classNames() + ")";
        switch (loss) {
            case HALF_MSE, MSE -> {
                if (data.classNames() != null) {
                    errors.add(new FieldProblem("loss", loss.apiName() + " fits numbers, but the labels are class "
                            + "names" + labels + "; use model.output 'softmax' with "
                            + "sparse_categorical_crossentropy (or 'sigmoid' with binary_crossentropy for two)"));
                }
            }
            case BINARY_CROSSENTROPY -> {
                if (output != Activation.SIGMOID) {
                    errors.add(new FieldProblem("loss", "binary_crossentropy needs model.output 'sigmoid' (it "
                            + "takes probabilities), got '" + output.apiName() + "'"));
                }
                if (data.classNames() != null && data.classNames().size() != 2) {
                    errors.add(new FieldProblem("loss", "binary_crossentropy needs two classes" + labels
                            + "; use model.output 'softmax' for more than two"));
                    return;
                }
                int bad = firstNonBinary(data.labels());
                if (bad >= 0) {
                    errors.add(new FieldProblem("loss", "binary_crossentropy needs labels 0 or 1; the dataset's "
                            + "row " + bad / data.outputs() + " has " + data.labels()[bad] + labels
                            + (data.classNames() != null ? "; use model.output 'softmax' for more than two classes"
                                    : "")));
                }
            }
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY ->
                    checkClasses(loss, output, data, errors);
            case BINARY_CROSSENTROPY_FROM_LOGITS, SOFTMAX_CROSSENTROPY ->
                    throw new IllegalStateException("not an API loss: " + loss);
        }
    }

    private void checkClasses(Loss loss, Activation output, DataShape data, List<FieldProblem> errors) {
        if (output != Activation.SOFTMAX) {
            errors.add(new FieldProblem("loss", loss.apiName() + " needs model.output 'softmax', got '"
                    + output.apiName() + "'"));
        }
        boolean sparse = loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
        if (sparse && data.outputs() != 1) {
            errors.add(new FieldProblem("loss", "sparse_categorical_crossentropy reads one label column of class "
                    + "indices, but the dataset has " + data.outputs() + " " + data.labelNames()
                    + "; use categorical_crossentropy for one-hot label columns"));
            return;
        }
        int row = sparse ? firstNonClass(data.labels()) : firstNonOneHot(data.labels(), data.outputs());
        if (row >= 0) {
            errors.add(new FieldProblem("loss", loss.apiName() + (sparse
                    ? " needs one label per row that is a class index 0, 1, 2, ... or a class name; the "
                    + "dataset's row " + row + " has " + data.labels()[row]
                    : " needs one-hot label rows (one 1, the rest 0); the dataset's row " + row + " is not")));
            return;
        }
        int classes = sparse ? classCount(data) : data.outputs();
        if (classes < 2) {
            errors.add(new FieldProblem("model.output", "softmax needs at least two classes; the labels have "
                    + classes + " (use sigmoid for one probability)"));
        } else if (classes > limits.maxClasses()) {
            errors.add(new FieldProblem("loss", "the labels have " + classes + " classes, more than "
                    + "tapeflow.training.limits.max-classes (" + limits.maxClasses() + ")"));
        }
    }

    private ModelSpec model(ModelSpec m, DataShape data, List<FieldProblem> errors) {
        if (m == null) {
            errors.add(new FieldProblem("model", "is required, e.g. {\"type\": \"linear\"}"));
            return null;
        }
        int before = errors.size();
        String type = m.type() == null ? "mlp" : m.type();
        if (!MODEL_TYPES.contains(type)) {
            errors.add(oneOf("model.type", type, MODEL_TYPES));
        }
        List<Integer> hidden = m.hiddenLayers() != null ? m.hiddenLayers()
                : type.equals("mlp") ? DEFAULT_HIDDEN : List.of();
        if (type.equals("linear") && !hidden.isEmpty()) {
            errors.add(new FieldProblem("model.hiddenLayers", "a linear model has no hidden layers; use type mlp"));
        }
        if (hidden.size() > limits.maxHiddenLayers()) {
            errors.add(new FieldProblem("model.hiddenLayers", "at most " + limits.maxHiddenLayers()
                    + " hidden layers, got " + hidden.size()));
        }
        for (int i = 0; i < hidden.size(); i++) {
            Integer w = hidden.get(i);
            if (w == null || w < 1 || w > limits.maxHiddenWidth()) {
                errors.add(new FieldProblem("model.hiddenLayers[" + i + "]", "must be between 1 and "
                        + limits.maxHiddenWidth() + ", got " + w));
            }
        }
        String activation = m.activation() == null ? Activation.RELU.apiName() : m.activation();
        if (!ACTIVATIONS.contains(activation)) {
            errors.add(oneOf("model.activation", activation, ACTIVATIONS));
        }
        String output = m.output() == null ? defaultOutput(data) : m.output();
        if (!OUTPUTS.contains(output)) {
            errors.add(oneOf("model.output", output, OUTPUTS));
        }
        String initializer = m.initializer() == null ? Initializer.GLOROT_UNIFORM.apiName() : m.initializer();
        if (!INITIALIZERS.contains(initializer)) {
            errors.add(oneOf("model.initializer", initializer, INITIALIZERS));
        }
        if (errors.size() > before) {
            return null;
        }
        boolean standardize = m.standardize() != null ? m.standardize() : type.equals("mlp");
        return new ModelSpec(type, List.copyOf(hidden), type.equals("linear") ? "linear" : activation, output,
                initializer, standardize);
    }

    private static OptimizerSpec optimizer(OptimizerSpec o, List<FieldProblem> errors) {
        String type = o == null || o.type() == null ? "adam" : o.type();
        if (!OPTIMIZERS.contains(type)) {
            errors.add(oneOf("optimizer.type", type, OPTIMIZERS));
            return null;
        }
        OptimizerSpec given = o == null ? new OptimizerSpec(type, null, null, null, null, null, null, null) : o;
        double lr = positive(errors, "optimizer.learningRate", given.learningRate(),
                type.equals("sgd") ? 0.01 : 0.001, 10.0);
        only(errors, "optimizer.momentum", given.momentum(), type, "sgd");
        only(errors, "optimizer.nesterov", given.nesterov(), type, "sgd");
        only(errors, "optimizer.beta1", given.beta1(), type, "adam");
        only(errors, "optimizer.beta2", given.beta2(), type, "adam");
        only(errors, "optimizer.rho", given.rho(), type, "rmsprop");
        if (type.equals("sgd") && given.epsilon() != null) {
            errors.add(new FieldProblem("optimizer.epsilon", "applies to adam and rmsprop only"));
        }
        return switch (type) {
            case "adam" -> new OptimizerSpec(type, lr, null, null, fraction(errors, "optimizer.beta1", given.beta1(),
                    0.9), fraction(errors, "optimizer.beta2", given.beta2(), 0.999), null,
                    positive(errors, "optimizer.epsilon", given.epsilon(), 1e-7, 1.0));
            case "rmsprop" -> new OptimizerSpec(type, lr, null, null, null, null,
                    fraction(errors, "optimizer.rho", given.rho(), 0.9),
                    positive(errors, "optimizer.epsilon", given.epsilon(), 1e-7, 1.0));
            default -> {
                double momentum = given.momentum() == null ? 0.0 : fraction(errors, "optimizer.momentum",
                        given.momentum(), 0.0);
                boolean nesterov = Boolean.TRUE.equals(given.nesterov());
                if (nesterov && momentum == 0.0) {
                    errors.add(new FieldProblem("optimizer.nesterov", "needs a momentum above 0"));
                }
                yield new OptimizerSpec(type, lr, momentum, nesterov, null, null, null, null);
            }
        };
    }

    private static EarlyStoppingSpec earlyStopping(EarlyStoppingSpec e, double split, List<FieldProblem> errors) {
        if (e == null) {
            return null;
        }
        String monitor = e.monitor() == null ? "loss" : e.monitor();
        if (!MONITORS.contains(monitor)) {
            errors.add(oneOf("earlyStopping.monitor", monitor, MONITORS));
        } else if (monitor.equals("val_loss") && !(split > 0)) {
            errors.add(new FieldProblem("earlyStopping.monitor", "val_loss needs a validationSplit above 0"));
        }
        int patience = e.patience() == null ? 10 : e.patience();
        if (patience < 0) {
            errors.add(new FieldProblem("earlyStopping.patience", "must be at least 0, got " + patience));
        }
        double minDelta = e.minDelta() == null ? 0.0 : e.minDelta();
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            errors.add(new FieldProblem("earlyStopping.minDelta", "must be a finite number ≥ 0, got " + minDelta));
        }
        return new EarlyStoppingSpec(monitor, patience, minDelta);
    }

    private static int range(List<FieldProblem> errors, String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            errors.add(new FieldProblem(field, "must be between " + min + " and " + max + ", got " + v));
        }
        return v;
    }

    private static double positive(List<FieldProblem> errors, String field, Double value, double fallback,
            double max) {
        double v = value == null ? fallback : value;
        if (!(v > 0 && v <= max)) {
            errors.add(new FieldProblem(field, "must be above 0 and at most " + max + ", got " + v));
        }
        return v;
    }

    private static double fraction(List<FieldProblem> errors, String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v >= 0 && v < 1)) {
            errors.add(new FieldProblem(field, "must be at least 0 and less than 1, got " + v));
        }
        return v;
    }

    private static void only(List<FieldProblem> errors, String field, Object value, String type, String owner) {
        if (value != null && !type.equals(owner)) {
            errors.add(new FieldProblem(field, "applies to " + owner + " only, not " + type));
        }
    }

    private static FieldProblem oneOf(String field, String value, Set<String> allowed) {
        return new FieldProblem(field, "must be one of " + allowed.stream().sorted().toList() + ", got '" + value
                + "'");
    }

    /** The first row whose label is not a class index (a whole number ≥ 0), or −1. */
    private static int firstNonClass(float[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (!(labels[i] >= 0 && Float.isFinite(labels[i]) && labels[i] == Math.rint(labels[i]))) {
                return i;
            }
        }
        return -1;
    }

    /** The first row that is not one 1 among 0s, or −1. */
    private static int firstNonOneHot(float[] labels, int width) {
        for (int r = 0; r < labels.length / width; r++) {
            int ones = 0;
            for (int j = 0; j < width; j++) {
                float v = labels[r * width + j];
                if (v != 0f && v != 1f) {
                    return r;
                }
                ones += v == 1f ? 1 : 0;
            }
            if (ones != 1) {
                return r;
            }
        }
        return -1;
    }

    private static <E extends Enum<E>> Set<String> names(EnumSet<E> constants, Function<E, String> name) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (E e : constants) {
            names.add(name.apply(e));
        }
        return java.util.Collections.unmodifiableSet(names);
    }

    private static int firstNonBinary(float[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0f && labels[i] != 1f) {
                return i;
            }
        }
        return -1;
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
