package io.tapeflow.training;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.tapeflow.engine.MatMulKernels;
import io.tapeflow.engine.Rng;
import io.tapeflow.models.PredictionWarmUp;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.EpochResult;
import io.tapeflow.nn.FitConfig;
import io.tapeflow.nn.FitListener;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Loss;
import io.tapeflow.nn.OptimizerConfig;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Standardization;
import io.tapeflow.nn.Trainer;
import io.tapeflow.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a job's code on a background thread while the service starts and just after, so that the first job a user
 * sends does not pay for compiling it: on two cores the first rings job took 2–3× the tenth. Two parts:
 * <ul>
 * <li>small fits in the shapes jobs take most (a relu MLP on standardized inputs with a sigmoid output, as the
 * reference's rings DNN, one with a softmax output, a linear regression; SGD and Adam; graph mode, the default) on
 * synthetic rows, for the engine's steps, which C2 compiles only once they have run a while;
 * <li>once the service is ready, a job's way through the API but for the database writes ({@link #requestPath}),
 * then for {@link #REHEARSALS} whole jobs with their writes, in transactions that are rolled back
 * ({@link #rehearse}), then, to the end of the budget, prediction requests over HTTP to a model that is never
 * stored ({@link PredictionWarmUp}): on two cores 15 s of them took a user's second 10 s of predictions from
 * 4 200–4 700 requests/s (with 3 s of them) to 5 600–11 500, full speed being about 10 000.
 * </ul>
 * Nothing is kept and nothing is queued where another transaction could see it. It all runs within
 * {@code tapeflow.training.warm-up} (default 20 s; 0 turns the warm-up off), the fits while the service starts
 * within its first {@link #DURING_START} (more fits there delayed readiness by 2–4 s on two cores), and nothing
 * starts once a worker of the service has claimed a job, a user has asked for predictions or the service is
 * closing: the cores are theirs then. A fit takes a few milliseconds once compiled, under a second before.
 *
 * <p>When they run matters as much as what they run. They start as soon as the settings are read, before the
 * context exists ({@link Starter}): C2 raises its thresholds with the length of its queue, and late in the start
 * that queue holds the whole framework, so fits started with the context's beans stayed in C1's code. And they
 * start only once the engine's vector loops are in use ({@link MatMulKernels#awaitVectorReady}): fits before that
 * compile the portable loops, which jobs no longer take.
 */
final class TrainingWarmUp {

    static final String BUDGET = "tapeflow.training.warm-up";

    private static final Logger log = LoggerFactory.getLogger(TrainingWarmUp.class);

    private static final int ROWS = 400;
    static final int REQUEST_ROUNDS = 100;
    private static final Duration DEFAULT_BUDGET = Duration.ofSeconds(20);
    private static final Duration DURING_START = Duration.ofSeconds(1);
    private static final Duration VECTOR_WAIT = Duration.ofSeconds(10);
    /**
     * Whole jobs rehearsed once the service is ready ({@link #rehearse}): on a 2-core Zen 4 they took the first rings
     * job's answer from 0.10–0.14 s after its finishedAt to 0.03–0.04 s, and the job from 1.2–1.53× a warm one's to
     * 0.88–1.56× (within 1.5× in 13 of 14 runs).
     */
    private static final Duration REHEARSALS = Duration.ofSeconds(2);

    /** The one warm-up of this JVM, as the JIT it warms is one; null until it starts. */
    private static final AtomicReference<TrainingWarmUp> STARTED = new AtomicReference<>();

    private final Duration budget;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ApplicationContext context;
    private volatile boolean serviceGone;
    private volatile boolean jobClaimed;
    private volatile BooleanSupplier usersPredicting = () -> false;
    private volatile int requestRounds;
    private volatile int rehearsals;
    private final AtomicInteger predictions = new AtomicInteger();
    private volatile boolean ended;

    TrainingWarmUp(Duration budget) {
        this.budget = budget;
    }

    /** A worker of the service it warms claimed a job: no fit starts after the one running. */
    void jobClaimed() {
        jobClaimed = true;
    }

    /** This JVM's warm-up, if one started (for tests). */
    static TrainingWarmUp started() {
        return STARTED.get();
    }

    /**
     * Starts the warm-up from {@code META-INF/spring.factories}, on the event that has the settings and comes before
     * the context; puts it in the context it warms (so that this service's workers, and no other context's, end it:
     * see TrainingConfiguration); and tells it when the service is ready, will not be, or closes.
     */
    static final class Starter implements ApplicationListener<ApplicationEvent> {

        private TrainingWarmUp started;

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                start(prepared.getEnvironment());
            } else if (started == null) {
                return;
            } else if (event instanceof ApplicationPreparedEvent prepared) {
                prepared.getApplicationContext().getBeanFactory().registerSingleton("trainingWarmUp", started);
            } else if (event instanceof ApplicationReadyEvent ready) {
                started.serviceStarted(ready.getApplicationContext());
            } else if (event instanceof ApplicationFailedEvent || event instanceof ContextClosedEvent) {
                started.serviceStarted(null);
            }
        }

        private void start(Environment environment) {
            TrainingWarmUp warmUp = new TrainingWarmUp(
                    environment.getProperty(BUDGET, Duration.class, DEFAULT_BUDGET));
            if (warmUp.off() || !STARTED.compareAndSet(null, warmUp)) {
                return;
            }
            started = warmUp;
            Thread thread = new Thread(warmUp::run, "tapeflow-training-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private boolean off() {
        return budget.isZero() || budget.isNegative();
    }

    /** The service is ready (the warm-up goes on in its context), or it failed to start or closes (null: it ends). */
    void serviceStarted(ApplicationContext readyContext) {
        if (readyContext == null) {
            serviceGone = true;
        } else {
            context = readyContext;
        }
        ready.countDown();
    }

    /** How many times the request path ran, how many predictions were answered, whether it is over. For tests. */
    int requestRounds() {
        return requestRounds;
    }

    int rehearsals() {
        return rehearsals;
    }

    int predictions() {
        return predictions.get();
    }

    boolean ended() {
        return ended;
    }

    /**
     * The fits during the start; once the service is ready, the request path, rehearsed jobs and predictions to the
     * budget's end (fits instead where the predictions end early, as with API keys).
     */
    int run() {
        if (off()) {
            return 0;
        }
        long began = System.nanoTime();
        int fits = 0;
        try {
            MatMulKernels.awaitVectorReady(VECTOR_WAIT);
            long duringStart = Math.min(budget.toNanos(), DURING_START.toNanos());
            fits += fits(System.nanoTime() + duringStart);
            ready.await();
            ApplicationContext service = context;
            long end = System.nanoTime() + budget.toNanos() - duringStart;
            if (service != null && !stopped()) {
                usersPredicting = PredictionWarmUp.usersPredicting(service);
                requestPath(service);
                rehearse(service, Math.min(end, System.nanoTime() + REHEARSALS.toNanos()));
                PredictionWarmUp.run(service, this::stopped, end, predictions);
            }
            fits += fits(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!serviceGone) { // a closing context fails the request path's calls: nothing to report then
                log.warn("Training warm-up stopped early: {}", e.toString()); // only speed is at stake
            }
        } finally {
            ended = true;
        }
        log.info("Warm-up: {} small fits, {} job requests, {} rehearsed jobs and {} predictions in {} ms{}", fits,
                requestRounds, rehearsals, predictions.get(), (System.nanoTime() - began) / 1_000_000,
                jobClaimed ? ", until the first job was claimed"
                        : usersPredicting.getAsBoolean() ? ", until a user asked for predictions" : "");
        return fits;
    }

    private boolean stopped() {
        return jobClaimed || serviceGone || usersPredicting.getAsBoolean();
    }

    /**
     * A job's way through the service but for HTTP and the database writes, for the first job's POST and the long
     * poll that answers it: each took 0.1–0.3 s more than the next ones', building Jackson's (de)serializers and
     * running their code and the job validator's interpreted. The Swagger example of the rings job is read,
     * validated and priced as a dry run against the reference dataset (without reference datasets that is a 404,
     * and only the reading runs), and a finished job's answer is written as JSON.
     */
    private void requestPath(ApplicationContext service) {
        JsonMapper json = service.getBean(JsonMapper.class);
        TrainingJobService jobs = service.getBean(TrainingJobService.class);
        for (int i = 0; i < REQUEST_ROUNDS && !stopped(); i++) {
            TrainingJobRequest request = json.readValue(TrainingJobsController.RINGS_EXAMPLE,
                    TrainingJobRequest.class);
            DryRunResponse dryRun;
            try {
                dryRun = jobs.dryRun(request);
            } catch (ApiException e) {
                return;
            }
            json.writeValueAsString(dryRun);
            json.writeValueAsString(jobs.response(finished(json, dryRun.request())));
            requestRounds = i + 1;
        }
    }

    /**
     * The Swagger examples' jobs (the rings DNN with Adam on the reference rings, the linear regression with SGD on
     * the reference line), each once and then in turn until {@code until}, each run to its end and written as a
     * worker would, in a transaction that is rolled back ({@link TrainingJobService#rehearse}): the queue's insert,
     * the claim's update, the job's progress writes, its epochs, model and validation report, through the runner's
     * own listener class. The first rings job's outcome write took 90 ms where the third's took 7 ms. Both
     * optimizers, as with the rings example alone the rings jobs that came next with SGD ran 1.6× slower, for good.
     * One in progress when a job is claimed runs to its end (tens of milliseconds once compiled). A failed one ends
     * the rehearsals, not the warm-up.
     */
    private void rehearse(ApplicationContext service, long until) {
        JsonMapper json = service.getBean(JsonMapper.class);
        TrainingJobService jobs = service.getBean(TrainingJobService.class);
        List<TrainingJobRequest> requests = Stream.of(TrainingJobsController.RINGS_EXAMPLE,
                TrainingJobsController.LINEAR_EXAMPLE).map(j -> json.readValue(j, TrainingJobRequest.class)).toList();
        while (!stopped() && (rehearsals < requests.size() || System.nanoTime() < until)) {
            try {
                jobs.rehearse(requests.get(rehearsals % requests.size()));
            } catch (ApiException e) {
                return; // no reference datasets
            } catch (RuntimeException e) {
                if (!serviceGone) { // a closing context's pool fails it: nothing to report then
                    log.info("Job rehearsals stopped: {}", e.toString()); // the predictions still run
                }
                return;
            }
            rehearsals++;
        }
    }

    /** A finished job's row, as the long poll reads it. */
    private static JobRow finished(JsonMapper json, TrainingSpec spec) {
        Instant now = Instant.now();
        return new JobRow(UUID.randomUUID(), spec.datasetId(), JobState.SUCCEEDED, json.writeValueAsString(spec),
                now, now, now, now, 1, 3, new Progress(100, 100, 4000, 4000, 9000.0), "{\"loss\": 0.25}", null,
                null, null, UUID.randomUUID(), null, null, null, null, null, false);
    }

    private int fits(long deadline) {
        int fits = 0;
        for (int round = 0; true; round++) {
            for (Shape shape : Shape.values()) {
                if (stopped() || System.nanoTime() >= deadline) {
                    return fits;
                }
                fit(shape, round);
                fits++;
            }
        }
    }

    /** What the fits cover: each output and loss family, with its usual optimizer. */
    enum Shape { SIGMOID, SOFTMAX, LINEAR }

    /** One fit, to its end. */
    static void fit(Shape shape, int round) {
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
        Standardization standardized = Standardization.fit(x, ROWS, 2, ROWS); // an MLP job's default
        Sequential model = switch (shape) {
            case SIGMOID -> Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                    Initializer.TRUNCATED_NORMAL, rng).withStandardization(standardized);
            case SOFTMAX -> Sequential.mlp(2, new int[] {16}, Activation.RELU, 3, Activation.SOFTMAX,
                    Initializer.GLOROT_UNIFORM, rng).withStandardization(standardized);
            case LINEAR -> Sequential.linear(2, 1, Initializer.NORMAL, rng);
        };
        FitConfig config = switch (shape) {
            case SIGMOID -> FitConfig.of(Loss.BINARY_CROSSENTROPY, OptimizerConfig.sgd(0.01f), 40, 100, round);
            case SOFTMAX -> FitConfig.of(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, OptimizerConfig.adam(0.01f), 40, 100,
                    round);
            case LINEAR -> FitConfig.of(Loss.HALF_MSE, OptimizerConfig.sgd(0.001f), 20, 10, round);
        };
        Trainer.fit(model, x, y, config, listener(shape), null);
    }

    /**
     * A listener that does nothing, of one class per shape, overriding every callback as a job's listener does, so
     * that C2 compiles the trainer's calls to its listener as calls through the interface. With one class (or only
     * the interface's defaults) C2 inlined it behind a type check, and the first job's listener, another class,
     * deoptimized the step loop: 0.2 s of that job ran in the interpreter and C1. For the same reason the fits end
     * between fits, never through {@code stopRequested}: that branch, never taken before, was a trap too.
     */
    private static FitListener listener(Shape shape) {
        return switch (shape) {
            case SIGMOID -> new Silent() { };
            case SOFTMAX -> new Silent() { };
            case LINEAR -> new Silent() { };
        };
    }

    private abstract static class Silent implements FitListener {

        @Override
        public void onStep(int epoch, int step, int steps, float loss) {
        }

        @Override
        public void onEpoch(EpochResult result) {
        }

        @Override
        public boolean stopRequested() {
            return false;
        }
    }
}
