package io.tapeflow.training;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.tapeflow.datasets.ReferenceDatasets;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tapeflow.models.ListFilter;
import io.tapeflow.web.ProblemResponses;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Train a model on a dataset in the worker pool and follow its progress")
class TrainingJobsController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The examples train on the reference datasets the service provides, so they work on a fresh start. */
    static final String LINEAR_EXAMPLE = "{\"datasetId\": \"" + ReferenceDatasets.LINEAR_ID + "\",\n" + """
             "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
             "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 200, "batchSize": 10, "seed": 1}""";
    static final String RINGS_EXAMPLE = "{\"datasetId\": \"" + ReferenceDatasets.RINGS_ID + "\",\n" + """
             "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu", "output": "sigmoid",
                       "initializer": "truncated_normal"},
             "loss": "binary_crossentropy", "optimizer": {"type": "adam", "learningRate": 0.01},
             "epochs": 100, "batchSize": 100, "shuffle": true, "seed": 1, "validationSplit": 0.0,
             "execution": "graph", "earlyStopping": {"monitor": "loss", "patience": 20, "minDelta": 0.0}}""";
    private static final String OVER_BUDGET = """
            {"type": "https://tapeflow.io/problems/422", "title": "Over the training budget", "status": 422,
             "detail": "The job's pre-flight estimate exceeds the budget: estimate.work: ...",
             "errors": [{"field": "estimate.work", "message": "rows × epochs × parameters = 671088640000000 exceeds \
            the budget of 2000000000000; use fewer epochs, a smaller model or less data"}]}""";

    private final TrainingJobService service;
    private final JobEvents events;
    private final LongPolls longPolls;

    TrainingJobsController(TrainingJobService service, JobEvents events, LongPolls longPolls) {
        this.service = service;
        this.events = events;
        this.longPolls = longPolls;
    }

    /**
     * 202 with the queued job, its {@code Location} and a {@code Retry-After} hint; with {@code dryRun=true}, 200
     * with the estimate and nothing queued.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a training job (or, with dryRun=true, only estimate it)", description = """
            Everything is validated before the job is accepted: the dataset must exist (404), every field must be \
            valid for it (400 with field errors), and the pre-flight estimate must fit the budget \
            `tapeflow.training.limits.max-work`, `max-memory-bytes`, `max-expected-seconds` (422). Defaults: \
            loss from the output activation, sgd 0.01, 10 epochs, batch 32, shuffle, a drawn seed, execution \
            graph (the traced plan; eager runs the tape op by op, with the same numbers).""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TrainingJobRequest.class),
            examples = {
                    @ExampleObject(name = "linear", summary = "The reference's linear regression",
                            value = LINEAR_EXAMPLE),
                    @ExampleObject(name = "rings", summary = "The reference's DNN classifier", value = RINGS_EXAMPLE)}))
    @ApiResponse(responseCode = "202", description = "Accepted: the job (QUEUED or later); Location is its status "
            + "resource", headers = {
                    @Header(name = "Location", description = "The job's absolute URL, "
                            + "http://host/api/v1/training-jobs/{id}"),
                    @Header(name = "Retry-After", description = "Seconds before a first poll is worth it"),
                    @Header(name = "Idempotent-Replayed", description = "true when an earlier request with the "
                            + "same Idempotency-Key created the job")},
            content = @Content(schema = @Schema(implementation = TrainingJobResponse.class)))
    @ApiResponse(responseCode = "200", description = "dryRun=true: the validated request and its estimate; nothing "
            + "is queued", content = @Content(schema = @Schema(implementation = DryRunResponse.class)))
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    @ApiResponse(responseCode = "422", description = "Over the budget, or an Idempotency-Key reused with another body",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemResponses.Problem.class),
                    examples = @ExampleObject(value = OVER_BUDGET)))
    ResponseEntity<?> submit(@RequestBody TrainingJobRequest request,
            @Parameter(description = "Only validate and estimate") @RequestParam(defaultValue = "false")
            boolean dryRun,
            @Parameter(description = "Same key and body ⇒ the same job; same key, another body ⇒ 422")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        if (dryRun) {
            return ResponseEntity.ok(service.dryRun(request));
        }
        Submission s = service.submit(request, idempotencyKey);
        long retryAfter = s.estimate() == null ? 1
                : Math.max(1, Math.min(30, (long) Math.ceil(s.estimate().expectedSeconds() / 4)));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                        .buildAndExpand(s.job().id()).toUri())
                .header("Retry-After", Long.toString(retryAfter))
                .header("Idempotent-Replayed", Boolean.toString(!s.created()))
                .body(s.job());
    }

    /** With {@code waitSeconds}, a long poll: answers as soon as the job has finished, or when the time is up. */
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A job: state, progress, latest metrics, ETA, error or modelId")
    @ApiResponse(responseCode = "200", description = "The job")
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    DeferredResult<TrainingJobResponse> get(@PathVariable UUID id,
            @Parameter(description = "Long poll: answer once the job has finished, or after this many seconds "
                    + "(at most 60)", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(TrainingJobService.MAX_WAIT_SECONDS) int waitSeconds) {
        return longPolls.await(id, waitSeconds);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List jobs, newest first, optionally filtered by state, name, tag and dataset")
    @ApiResponse(responseCode = "200", description = "One page")
    @ProblemResponses.BadRequest
    JobPage list(
            @Parameter(description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED", example = "RUNNING")
            @RequestParam(required = false) String state,
            @Parameter(description = "0-based page number", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Jobs per page", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
            @Parameter(description = "The job's name: exact, or a prefix ending in *", example = "rings*")
            @RequestParam(required = false) String name,
            @Parameter(description = "Only jobs with this tag", example = "baseline")
            @RequestParam(required = false) String tag,
            @Parameter(description = "Only jobs training on this dataset")
            @RequestParam(required = false) String datasetId) {
        return service.list(state, ListFilter.parse(name, tag, datasetId), page, size);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a finished job with its metrics and checkpoint; its model stays", description = """
            A queued or running job is a 409 (cancel it first). The job's model is not deleted: it keeps \
            answering, with jobId null from then on.""")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** 202 when its worker has been asked to stop at the next epoch boundary, 200 when it was queued (cancelled). */
    @PostMapping(value = "/{id}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Stop and keep: end a running job at its next epoch boundary with a model", description = """
            A running job ends SUCCEEDED with stoppedEarly: true (in the job and its model's training) and the \
            model of the last epoch boundary; a stop during the last epoch just lets it complete. A queued job \
            has trained nothing: it is CANCELLED at once, as by cancel. A finished job, or one being cancelled, \
            is a 409. Cancel still discards the training.""")
    @ApiResponse(responseCode = "200", description = "It was queued and is CANCELLED now")
    @ApiResponse(responseCode = "202", description = "It is running; it ends SUCCEEDED at its next epoch boundary")
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    ResponseEntity<TrainingJobResponse> stop(@PathVariable UUID id) {
        TrainingJobService.Cancellation c = service.stop(id);
        return ResponseEntity.status(c.done() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(c.job());
    }

    @GetMapping(value = "/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The job's metrics, one entry per finished epoch")
    @ApiResponse(responseCode = "200", description = "The epochs so far")
    @ProblemResponses.NotFound
    JobMetricsResponse metrics(@PathVariable UUID id) {
        return service.metrics(id);
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events: `epoch` per finished epoch (the ones so far first), `progress` with "
            + "what changed, then `final` (the whole job), then the end",
            description = "Each event has an id `E.S` (epochs sent, step) that never decreases; reconnect with "
                    + "`Last-Event-ID` to get what came after it. `epoch`: {epoch, metrics, seconds}; `progress`: "
                    + "{state, progress, latest, etaSeconds, attempts, startedAt, cancelRequestedAt}; `final`: the job.")
    @ApiResponse(responseCode = "200", description = "An event stream")
    @ProblemResponses.NotFound
    SseEmitter events(@PathVariable UUID id,
            @Parameter(description = "The id of the last event a client saw, to resume after it")
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        return events.stream(id, lastEventId);
    }

    /** 200 when the job is cancelled already (it was queued), 202 when its worker has been asked to stop. */
    @PostMapping(value = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a queued (at once) or running (within an epoch) job")
    @ApiResponse(responseCode = "200", description = "It was queued and is CANCELLED now")
    @ApiResponse(responseCode = "202", description = "It is running; its worker stops within an epoch and the job "
            + "ends CANCELLED")
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    ResponseEntity<TrainingJobResponse> cancel(@PathVariable UUID id) {
        TrainingJobService.Cancellation c = service.cancel(id);
        return ResponseEntity.status(c.done() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(c.job());
    }
}
