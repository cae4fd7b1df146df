package io.tapeflow.training;

import java.time.Duration;

import io.tapeflow.engine.Rng;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.FitConfig;
import io.tapeflow.nn.FitListener;
import io.tapeflow.nn.FitResult;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Loss;
import io.tapeflow.nn.OptimizerConfig;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Trains a few small models on a background thread right after start, so that the first job a user sends does not
 * pay for compiling the plan's steps: on two cores the first rings job took 2–3× the tenth, and a profile put the
 * difference in the steps' code, which C2 compiles only once it has run a while. The fits take the shapes jobs take
 * most (a relu MLP with a sigmoid output, as the reference's rings DNN, one with a softmax output, a linear
 * regression; SGD and Adam; in graph mode, the default) on synthetic rows, and touch neither the database nor the queue. They
 * stop at {@code tapeflow.training.warm-up} (default 2 s; 0 turns them off); readiness does not wait for them.
 */
@Component
class TrainingWarmUp implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TrainingWarmUp.class);

    private static final int ROWS = 400;

    private final Duration budget;

    TrainingWarmUp(@Value("${tapeflow.training.warm-up:2s}") Duration budget) {
        this.budget = budget;
    }

    /**
     * As soon as this bean exists, early in the context's start: the fits overlap the rest of it (Flyway, the web
     * server), which keeps one core busy at most, so they are mostly done by the time the service is ready.
     */
    @Override
    public void afterPropertiesSet() {
        if (budget.isZero() || budget.isNegative()) {
            return;
        }
        Thread thread = new Thread(this::run, "tapeflow-training-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Fits until the budget is spent; returns how many ran to their end. */
    int run() {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        int fits = 0;
        try {
            for (int round = 0; System.nanoTime() < deadline; round++) {
                for (Shape shape : Shape.values()) {
                    fits += fit(shape, round, deadline) ? 1 : 0;
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            log.warn("Training warm-up stopped early: {}", e.toString()); // only speed is at stake
        }
        log.info("Training warm-up: {} small fits in {} ms", fits, (System.nanoTime() - started) / 1_000_000);
        return fits;
    }

    /** What the fits cover: each output and loss family, with its usual optimizer. */
    enum Shape { SIGMOID, SOFTMAX, LINEAR }

    private static boolean fit(Shape shape, int round, long deadline) {
        Rng rng = new Rng(round);
        float[] x = new float[ROWS * 2];
        float[] y = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            x[2 * r] = rng.nextFloat() * 2 - 1;
            x[2 * r + 1] = rng.nextFloat() * 2 - 1;
            double radius = Math.hypot(x[2 * r], x[2 * r + 1]);
            y[r] = switch (shape) {
                case SIGMOID -> radius < 0.6 ? 1 : 0;
                case SOFTMAX -> radius < 0.4 ? 0 : radius < 0.8 ? 1 : 2;
                case LINEAR -> 2 * x[2 * r] - 3 * x[2 * r + 1] + 3;
            };
        }
        Sequential model = switch (shape) {
            case SIGMOID -> Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                    Initializer.TRUNCATED_NORMAL, rng);
            case SOFTMAX -> Sequential.mlp(2, new int[] {16}, Activation.RELU, 3, Activation.SOFTMAX,
                    Initializer.GLOROT_UNIFORM, rng);
            case LINEAR -> Sequential.linear(2, 1, Initializer.NORMAL, rng);
        };
        FitConfig config = switch (shape) {
            case SIGMOID -> FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.01f), 40, 100, round);
            case SOFTMAX -> FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 40, 100,
                    round);
            case LINEAR -> FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 20, 10, round);
        };
        FitListener untilDeadline = new FitListener() {
            @Override
            public boolean stopRequested() {
                return System.nanoTime() >= deadline;
            }
        };
        return Trainer.fit(model, x, y, config, untilDeadline, null).status()
                != FitResult.Status.CANCELLED;
    }
}
