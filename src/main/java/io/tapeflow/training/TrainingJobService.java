package io.tapeflow.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.tapeflow.datasets.DatasetData;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.models.Labels;
import io.tapeflow.models.ListFilter;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** Accepts, reports on and cancels training jobs; the workers do the training. */
class TrainingJobService {

    private final TrainingJobRepository jobs;
    private final DatasetStore datasets;
    private final TrainingWorkerPool pool;
    private final TrainingJobValidator validator;
    private final TrainingProperties settings;
    private final JsonMapper json;
    private final InitialModels initialModels;

    TrainingJobService(TrainingJobRepository jobs, DatasetStore datasets, TrainingWorkerPool pool,
            TrainingProperties settings, JsonMapper json, InitialModels initialModels) {
        this.initialModels = initialModels;
        this.jobs = jobs;
        this.datasets = datasets;
        this.pool = pool;
        this.validator = new TrainingJobValidator(settings);
        this.settings = settings;
        this.json = json;
    }

    DryRunResponse dryRun(TrainingJobRequest request) {
        Validated v = validate(request);
        List<FieldProblem> over = validator.overBudget(v.estimate());
        TrainingProperties.Limits l = settings.limits();
        return new DryRunResponse(v.spec(), v.estimate(),
                new DryRunResponse.Budget(l.maxWork(), settings.memoryBudget(), l.maxCheckpointBytes(),
                        l.maxExpectedSeconds()), over.isEmpty(),
                over);
    }

    /**
     * Validates, prices and queues a job. With an idempotency key, a repeat of the same body answers the job the
     * first request created (also when both arrive at once: the key is unique in the database), and another body
     * under the same key is a 422.
     */
    Submission submit(TrainingJobRequest request, String idempotencyKey) {
        String key = idempotencyKey(idempotencyKey);
        String hash = hash(request);
        if (key != null) {
            Optional<JobRow> earlier = jobs.findByIdempotencyKey(key);
            if (earlier.isPresent()) {
                return replay(earlier.get(), hash);
            }
        }
        Validated v = validate(request);
        List<FieldProblem> over = validator.overBudget(v.estimate());
        if (!over.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Over the training budget",
                    "The job's pre-flight estimate exceeds the budget (POST with ?dryRun=true shows the estimate); "
                            + over.get(0).field() + ": " + over.get(0).message(), over);
        }
        NewJob job = newJob(v, key, hash);
        try {
            jobs.insert(job);
        } catch (DuplicateKeyException e) {
            return replay(jobs.findByIdempotencyKey(key).orElseThrow(() -> e), hash);
        }
        pool.jobQueued();
        return new Submission(get(job.id()), true, v.estimate());
    }

    private NewJob newJob(Validated v, String key, String hash) {
        TrainingSpec spec = v.spec();
        return new NewJob(UUID.randomUUID(), spec.datasetId(), json.writeValueAsString(spec), settings.maxAttempts(),
                spec.maxRuntimeSeconds(), spec.epochs(), v.estimate().steps(), key, hash, spec.name(),
                Labels.column(spec.tags()), spec.initialModelId());
    }

    /**
     * The request validated, queued, claimed and run to its outcome as {@link #submit} and a worker would, in a
     * transaction that is rolled back ({@link TrainingWorkerPool#rehearse}): nothing is kept or seen.
     */
    void rehearse(TrainingJobRequest request) {
        pool.rehearse(newJob(validate(request), null, hash(request)));
    }

    static final int MAX_WAIT_SECONDS = 60;

    TrainingJobResponse get(UUID id) {
        return response(row(id));
    }

    JobPage list(String state, ListFilter filter, int page, int size) {
        JobState s = state(state);
        List<TrainingJobResponse> items = jobs.list(s, filter, page * size, size).stream().map(this::response)
                .toList();
        return new JobPage(items, page, size, jobs.count(s, filter));
    }

    /**
     * Deletes a finished job with its metrics and checkpoint; its model stays (with {@code jobId} null). A queued
     * or running job is a 409: cancel it first.
     */
    void delete(UUID id) {
        if (jobs.deleteFinished(id)) {
            return;
        }
        JobRow row = row(id);
        throw ApiException.conflict("Job " + id + " is " + row.state() + "; cancel it (or wait until it has "
                + "finished) before deleting it");
    }

    /**
     * Stop and keep: a running job ends at its next epoch boundary as {@code SUCCEEDED} with the model of that
     * boundary (202); a queued one has trained nothing to keep and ends {@code CANCELLED} at once, as a cancel
     * (200); a finished one, or one with a cancel pending, is a 409.
     */
    Cancellation stop(UUID id) {
        for (int tries = 0; tries < 5; tries++) {
            JobRow row = row(id);
            if (row.cancelRequestedAt() != null && !row.state().isFinished()) {
                throw ApiException.conflict("Job " + id + " is being cancelled already; a cancel discards the model");
            }
            switch (row.state()) {
                case QUEUED -> {
                    if (jobs.cancelQueued(id)) {
                        return new Cancellation(get(id), true);
                    }
                }
                case RUNNING -> {
                    if (jobs.requestStop(id)) {
                        pool.stopRequested(id);
                        return new Cancellation(get(id), false);
                    }
                }
                case SUCCEEDED, FAILED, CANCELLED -> throw ApiException.conflict("Job " + id + " is already "
                        + row.state() + "; only a queued or running job can be stopped");
            }
        }
        throw ApiException.conflict("Job " + id + " keeps changing state; try the stop again");
    }

    /** The finished epochs after {@code afterEpoch} (the job must exist: see {@link #row}). */
    List<EpochMetrics> epochsAfter(UUID id, int afterEpoch) {
        return jobs.metricsAfter(id, afterEpoch);
    }

    JobMetricsResponse metrics(UUID id) {
        JobRow row = row(id);
        return new JobMetricsResponse(id, row.state(), jobs.metrics(id));
    }

    /**
     * A queued job ends {@code CANCELLED} at once (200); a running one gets a cancel request that its worker honours
     * within an epoch (202); a finished one is a 409.
     *
     * @return the job, and whether it is already cancelled
     */
    Cancellation cancel(UUID id) {
        for (int tries = 0; tries < 5; tries++) {
            JobRow row = row(id);
            switch (row.state()) {
                case QUEUED -> {
                    if (jobs.cancelQueued(id)) {
                        return new Cancellation(get(id), true);
                    }
                }
                case RUNNING -> {
                    if (jobs.requestCancel(id)) {
                        pool.cancelRequested(id);
                        return new Cancellation(get(id), false);
                    }
                }
                default -> throw ApiException.conflict("Job " + id + " is already " + row.state()
                        + "; only a queued or running job can be cancelled");
            }
            // the job changed state between the read and the update: look again
        }
        throw ApiException.conflict("Job " + id + " keeps changing state; try the cancel again");
    }

    record Cancellation(TrainingJobResponse job, boolean done) {
    }

    JobRow row(UUID id) {
        return jobs.find(id).orElseThrow(() -> ApiException.notFound("Training job", id));
    }

    TrainingJobResponse response(JobRow row) {
        Progress p = row.progress();
        Double eta = null;
        if (row.state().isFinished()) {
            eta = 0.0;
        } else if (row.state() == JobState.RUNNING && p.stepsPerSecond() != null && p.stepsPerSecond() > 0) {
            eta = Math.max(0, p.steps() - p.step()) / p.stepsPerSecond();
        }
        TrainingJobResponse.ErrorView error = row.errorCode() == null ? null
                : new TrainingJobResponse.ErrorView(row.errorCode(), row.errorMessage(), row.errorEpoch());
        TrainingSpec spec = json.readValue(row.request(), TrainingSpec.class);
        return new TrainingJobResponse(row.id(), row.state(), row.datasetId(), spec,
                new TrainingJobResponse.ProgressView(p.epoch(), p.epochs(), p.step(), p.steps(),
                        row.state() == JobState.SUCCEEDED ? 1.0 : p.fraction(),
                        p.stepsPerSecond()),
                jobs.latestMetrics(row), row.createdAt(), row.startedAt(), row.finishedAt(), eta, row.attempts(),
                row.maxAttempts(), row.cancelRequestedAt(), error, row.modelId(), spec.name(),
                spec.tags() == null ? List.of() : spec.tags(), spec.initialModelId(), row.stopRequestedAt(),
                row.stoppedEarly());
    }

    private record Validated(TrainingSpec spec, Estimate estimate) {
    }

    private Validated validate(TrainingJobRequest request) {
        if (request == null) {
            throw ApiException.badRequest("body", "a training job request is required");
        }
        UUID datasetId = validator.datasetId(request);
        DatasetData data = datasets.load(datasetId).orElseThrow(() -> ApiException.notFound("Dataset", datasetId));
        DataShape shape = DataShape.of(data);
        TrainingSpec spec = validator.validate(request, datasetId, shape);
        if (spec.initialModelId() != null) {
            InitialModels.checkCompatible(initialModels.require(spec.initialModelId()), spec, shape,
                    data.featureNames());
        }
        return new Validated(spec, validator.estimate(spec, shape));
    }

    private Submission replay(JobRow earlier, String hash) {
        if (!hash.equals(earlier.requestHash())) {
            throw ApiException.unprocessable("Idempotency-Key", "was already used for job " + earlier.id()
                    + " with a different request body; use a new key for a new job");
        }
        return new Submission(response(earlier), false, null);
    }

    private static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 200) {
            throw ApiException.badRequest("Idempotency-Key", "must be 1 to 200 characters, got " + key.length());
        }
        return key;
    }

    private String hash(TrainingJobRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static JobState state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state", "must be one of " + List.of(JobState.values()) + ", got '"
                    + state + "'");
        }
    }
}
