package io.tapeflow.training;

import io.tapeflow.engine.Rng;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.ExecutionMode;
import io.tapeflow.nn.FitConfig;
import io.tapeflow.nn.FitListener;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Loss;
import io.tapeflow.nn.OptimizerConfig;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Standardization;
import io.tapeflow.nn.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the engine's hot paths once in the background after start, so that the first job a user times is not also
 * the JIT's first look at the kernels: a cold JVM's first rings job took 0.65 s where the next ones took 0.16 s.
 * Small fits of each kind a job runs (graph and eager; sigmoid and standardized softmax), then one-row predictions,
 * on a low-priority daemon thread: readiness does not wait for it, and it takes a second or two of CPU.
 */
@Component
class EngineWarmUp {

    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);

    private final boolean enabled;

    EngineWarmUp(@Value("${tapeflow.training.warm-up:true}") boolean enabled) {
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!enabled) {
            return;
        }
        Thread thread = new Thread(EngineWarmUp::run, "tapeflow-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void run() {
        long started = System.nanoTime();
        try {
            Rng rng = new Rng(1);
            int rows = 400;
            float[] x = new float[rows * 2];
            float[] binary = new float[rows];
            float[] classes = new float[rows];
            for (int r = 0; r < rows; r++) {
                x[2 * r] = rng.uniform(-8f, 8f);
                x[2 * r + 1] = rng.uniform(-8f, 8f);
                binary[r] = x[2 * r] * x[2 * r] + x[2 * r + 1] * x[2 * r + 1] < 36f ? 1f : 0f;
                classes[r] = r % 3;
            }
            for (ExecutionMode mode : ExecutionMode.values()) {
                int epochs = mode == ExecutionMode.GRAPH ? 75 : 5;
                Sequential rings = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                        Initializer.TRUNCATED_NORMAL, new Rng(2));
                Trainer.fit(rings, x, binary, FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.001f),
                        epochs, 10, 3).withExecution(mode), new FitListener() {
                        });
                Sequential softmax = Sequential.mlp(2, new int[] {16}, Activation.RELU, 3, Activation.SOFTMAX,
                        Initializer.GLOROT_UNIFORM, new Rng(4))
                        .withStandardization(Standardization.fit(x, rows, 2, rows));
                Trainer.fit(softmax, x, classes, FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                        OptimizerConfig.adam(0.001f), epochs / 3 + 1, 32, 5).withExecution(mode),
                        new FitListener() {
                        });
                for (int i = 0; i < 2000; i++) {
                    rings.predict(new float[] {i % 7, -i % 5}, 1);
                }
            }
            log.info("Engine warm-up done in {} ms (the first job runs at the speed of the next ones)",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Engine warm-up failed; the first jobs will only run slower: {}", e.toString());
        }
    }
}
