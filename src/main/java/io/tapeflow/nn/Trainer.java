package io.tapeflow.nn;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fit loop: shuffled mini-batches (a fresh permutation per epoch, the last partial batch included), one
 * {@link TrainStep} per batch, per-epoch metrics and validation, early stopping, divergence detection, cancellation
 * and checkpoints at epoch boundaries.
 *
 * <p>Randomness: the model's initial values come from whatever generator built it (the service uses
 * {@code new Rng(seed)}); the shuffles come from {@code new Rng(seed).split()}, an independent stream whose state is
 * part of every checkpoint.
 */
public final class Trainer {

    private Trainer() {
    }

    public static FitResult fit(Sequential model, float[] features, float[] labels, FitConfig config,
            FitListener listener) {
        return fit(model, features, labels, config, listener, null);
    }

    /**
     * Fits {@code model} to the rows of {@code features} (rows × inputWidth) and {@code labels} (rows ×
     * {@link Loss#labelWidth labelWidth}: outputWidth values, or one class index for the sparse loss), starting from
     * {@code resume} when it is not null.
     */
    public static FitResult fit(Sequential model, float[] features, float[] labels, FitConfig config,
            FitListener listener, TrainingState resume) {
        return new Run(model, features, labels, config, listener, resume).epochs();
    }

    /** One fit in progress: its data and mini-batch buffers, its step, and the state a checkpoint records. */
    private static final class Run {

        private final Sequential model;
        private final float[] features;
        private final float[] labels;
        private final FitConfig config;
        private final FitListener listener;
        private final List<Metric> metrics;
        private final int rows;
        private final int trainRows;
        private final Optimizer optimizer;
        private final TrainStep step;
        private final Batches batches;
        private final List<EpochResult> history = new ArrayList<>();
        private Rng rng;
        private int startEpoch;
        private double best = Double.POSITIVE_INFINITY;
        private int wait;
        private TrainingState checkpoint;

        Run(Sequential model, float[] features, float[] labels, FitConfig config, FitListener listener,
                TrainingState resume) {
            this.model = model;
            this.features = features;
            this.labels = labels;
            this.config = config;
            this.listener = listener;
            this.metrics = config.metrics();
            this.rows = checkData(model, features, labels, config.loss());
            this.trainRows = trainingRows(rows, config.validationSplit());
            if (trainRows == 0 || (config.validationSplit() > 0f && rows == trainRows)) {
                throw new IllegalArgumentException("fit: validationSplit " + config.validationSplit() + " of " + rows
                        + " rows leaves " + trainRows + " training and " + (rows - trainRows) + " validation rows");
            }
            this.optimizer = config.optimizer().create();
            this.rng = new Rng(config.seed()).split();
            if (resume != null) {
                model.setParameters(resume.parameters());
                optimizer.restore(resume.optimizer());
                rng = new Rng(resume.rngState());
                startEpoch = resume.nextEpoch();
                best = resume.bestMonitored();
                wait = resume.epochsWithoutImprovement();
            }
            this.step = TrainStep.create(config.execution(), model, config.loss(), optimizer, metrics);
            this.batches = new Batches(model.inputWidth(), config.loss().labelWidth(model.outputWidth()), trainRows,
                    config.batchSize());
        }

        FitResult epochs() {
            checkpoint = snapshot(model, optimizer, startEpoch, rng, best, wait);
            for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                FitResult ended = epoch(epoch);
                if (ended != null) {
                    return ended;
                }
            }
            return new FitResult(FitResult.Status.COMPLETED, config.epochs(), 0, "Completed " + config.epochs()
                    + " epochs", history, checkpoint);
        }

        /** One epoch's steps, values, early stopping and checkpoint; the result when the fit ends with it. */
        private FitResult epoch(int epoch) {
            long started = System.nanoTime();
            if (config.shuffle()) {
                rng.permutation(batches.order);
            }
            double[] sums = new double[1 + metrics.size()];
            FitResult stopped = steps(epoch, sums);
            if (stopped != null) {
                return stopped;
            }
            step.sync();
            Map<String, Double> values = values(sums);
            boolean stop = noLongerImproving(values);
            checkpoint = snapshot(model, optimizer, epoch + 1, rng, best, wait);
            EpochResult result = new EpochResult(epoch + 1, config.epochs(), values.get("loss"), values,
                    (System.nanoTime() - started) / 1e9, checkpoint);
            history.add(result);
            listener.onEpoch(result);
            if (stop) {
                return new FitResult(FitResult.Status.EARLY_STOPPED, epoch + 1, 0, "Early stopping: "
                        + config.earlyStopping().monitor() + " did not improve for " + wait + " epochs", history,
                        checkpoint);
            }
            if (listener.stopRequested()) {
                return new FitResult(FitResult.Status.CANCELLED, epoch + 1, 0,
                        "Stopped on request after epoch " + (epoch + 1), history, checkpoint);
            }
            return null;
        }

        /** The epoch's mini-batches, summing loss and metrics row-weighted into {@code sums}; a result if stopped. */
        private FitResult steps(int epoch, double[] sums) {
            float[] batchMetrics = new float[metrics.size()];
            for (int s = 0; s < batches.steps; s++) {
                int n = batches.load(s, features, labels);
                float loss = step.run(batches.x(n), batches.y(n), n, batchMetrics);
                if (!Float.isFinite(loss)) {
                    step.sync();
                    String message = "The loss became " + loss + " at epoch " + (epoch + 1) + ", step " + (s + 1)
                            + ": training diverged (try a smaller learning rate)";
                    return new FitResult(FitResult.Status.DIVERGED, epoch, epoch + 1, message, history, checkpoint);
                }
                sums[0] += (double) loss * n;
                for (int i = 0; i < batchMetrics.length; i++) {
                    sums[1 + i] += (double) batchMetrics[i] * n;
                }
                listener.onStep(epoch + 1, s + 1, batches.steps, loss);
                if (listener.stopRequested()) {
                    step.sync();
                    return new FitResult(FitResult.Status.CANCELLED, epoch, 0,
                            "Stopped on request during epoch " + (epoch + 1), history, checkpoint);
                }
            }
            return null;
        }

        /** The epoch's loss and metrics (means over the training rows), then those of the validation rows. */
        private Map<String, Double> values(double[] sums) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("loss", sums[0] / trainRows);
            for (int i = 0; i < metrics.size(); i++) {
                values.put(metrics.get(i).key(), sums[1 + i] / trainRows);
            }
            if (rows > trainRows) {
                evaluate(model, config, features, labels, trainRows, rows, values);
            }
            return values;
        }

        /** Early stopping's bookkeeping: whether the monitored value has not improved for {@code patience}. */
        private boolean noLongerImproving(Map<String, Double> values) {
            EarlyStopping stopping = config.earlyStopping();
            if (stopping == null) {
                return false;
            }
            double current = values.get(stopping.monitor());
            if (current < best - stopping.minDelta()) {
                best = current;
                wait = 0;
                return false;
            }
            wait++;
            return wait >= stopping.patience();
        }
    }

    /**
     * The shuffled row order and the buffers of one epoch's mini-batches: full batches of {@code min(batchSize,
     * rows)} rows and a last, partial one, each gathered from the data in {@code order}.
     */
    private static final class Batches {

        final int[] order;
        final int steps;
        private final int inputs;
        private final int labelWidth;
        private final int batch;
        private final float[] xFull;
        private final float[] yFull;
        private final float[] xLast;
        private final float[] yLast;

        Batches(int inputs, int labelWidth, int rows, int batchSize) {
            this.inputs = inputs;
            this.labelWidth = labelWidth;
            this.batch = Math.min(batchSize, rows);
            this.steps = stepsPerEpoch(rows, batchSize);
            int lastRows = rows - (steps - 1) * batch;
            xFull = new float[batch * inputs];
            yFull = new float[batch * labelWidth];
            xLast = lastRows == batch ? xFull : new float[lastRows * inputs];
            yLast = lastRows == batch ? yFull : new float[lastRows * labelWidth];
            order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
        }

        /** Gathers step {@code s}'s rows into its buffers and returns how many there are. */
        int load(int s, float[] features, float[] labels) {
            int n = s == steps - 1 ? order.length - (steps - 1) * batch : batch;
            gather(features, inputs, order, s * batch, n, x(n));
            gather(labels, labelWidth, order, s * batch, n, y(n));
            return n;
        }

        float[] x(int n) {
            return n == batch ? xFull : xLast;
        }

        float[] y(int n) {
            return n == batch ? yFull : yLast;
        }
    }

    /**
     * The rows a fit trains on, Keras' rule: the first {@code floor(rows · (1 − validationSplit))} rows (the split
     * widened from float to double, as the fit receives it); the last ones validate.
     */
    public static int trainingRows(int rows, float validationSplit) {
        return (int) Math.floor(rows * (1.0 - validationSplit));
    }

    /**
     * Mini-batches per epoch over {@code trainingRows} rows, the last one partial; a batch larger than the data is the
     * whole data. 0 rows make 0 steps.
     */
    public static int stepsPerEpoch(int trainingRows, int batchSize) {
        if (trainingRows < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("stepsPerEpoch: " + trainingRows + " rows in batches of " + batchSize);
        }
        return trainingRows == 0 ? 0 : (trainingRows - 1) / batchSize + 1;
    }

    /** Checks that the data and the loss fit the model and returns the number of rows. */
    private static int checkData(Sequential model, float[] features, float[] labels, Loss loss) {
        int k = model.inputWidth();
        int m = loss.labelWidth(model.outputWidth());
        if (features.length % k != 0 || labels.length != features.length / k * m) {
            throw new IllegalArgumentException("fit: " + features.length + " feature values and " + labels.length
                    + " label values do not make rows of " + k + " features and " + m + " labels");
        }
        if (loss.fusesSoftmax() && (model.outputActivation() != Activation.SOFTMAX || model.outputWidth() < 2)) {
            throw new IllegalArgumentException("fit: " + loss.apiName() + " needs a softmax output of at least 2 "
                    + "classes, got " + model.outputActivation().apiName() + " with " + model.outputWidth()
                    + " outputs");
        }
        if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
            int classes = model.outputWidth();
            for (int r = 0; r < labels.length; r++) {
                float v = labels[r];
                if (!(v >= 0f && v < classes && v == (float) Math.rint(v))) {
                    throw new IllegalArgumentException("fit: the label of row " + r + " (counting from 0) is " + v
                            + "; " + loss.apiName() + " needs a class index, an integer in 0.." + (classes - 1));
                }
            }
        }
        return features.length / k;
    }

    /**
     * Copies the rows {@code order[from..from+n)} of a row-major array into {@code out}. Rows here are often a few
     * values wide, where a plain loop costs a fraction of a {@code System.arraycopy} call per row.
     */
    private static void gather(float[] values, int width, int[] order, int from, int n, float[] out) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(values, order[from + r] * width, out, r * width, width);
        }
    }

    /** Loss and metrics of the held-out rows [from, to), forward only. */
    private static void evaluate(Sequential model, FitConfig config, float[] features, float[] labels, int from,
            int to, Map<String, Double> values) {
        Loss loss = config.loss();
        int k = model.inputWidth();
        int m = loss.labelWidth(model.outputWidth());
        int n = to - from;
        float[] x = new float[n * k];
        float[] y = new float[n * m];
        System.arraycopy(features, from * k, x, 0, n * k);
        System.arraycopy(labels, from * m, y, 0, n * m);
        // The training loss's own definition (on the logits for a fused softmax), so val_loss compares with loss.
        Tensor outputs = Objective.outputs(model, loss, Tensor.of(x, n, k));
        values.put("val_loss", (double) Objective.loss(loss, Tensor.of(y, n, m), outputs).item());
        float[] p = outputs.toArray();
        for (Metric metric : config.metrics()) {
            values.put("val_" + metric.key(), metric.compute(y, p, n, model.outputWidth(),
                    Objective.outputsAreLogits(loss)));
        }
    }

    private static TrainingState snapshot(Sequential model, Optimizer optimizer, int nextEpoch, Rng rng, double best,
            int wait) {
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            parameters.put(e.getKey(), e.getValue().toArray());
        }
        return new TrainingState(parameters, optimizer.state(), nextEpoch, rng.state(), best, wait);
    }
}
