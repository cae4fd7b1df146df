package io.tapeflow.training;

import java.net.URI;
import java.util.UUID;

import io.tapeflow.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/training-jobs")
class TrainingJobsController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TrainingJobService service;
    private final JobEvents events;

    TrainingJobsController(TrainingJobService service, JobEvents events) {
        this.service = service;
        this.events = events;
    }

    /**
     * 202 with the queued job, its {@code Location} and a {@code Retry-After} hint; with {@code dryRun=true}, 200
     * with the estimate and nothing queued.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> submit(@RequestBody TrainingJobRequest request,
            @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        if (dryRun) {
            return ResponseEntity.ok(service.dryRun(request));
        }
        Submission s = service.submit(request, idempotencyKey);
        long retryAfter = s.estimate() == null ? 1
                : Math.max(1, Math.min(30, (long) Math.ceil(s.estimate().expectedSeconds() / 4)));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/training-jobs/" + s.job().id()))
                .header("Retry-After", Long.toString(retryAfter))
                .header("Idempotent-Replayed", Boolean.toString(!s.created()))
                .body(s.job());
    }

    /** With {@code waitSeconds}, a long poll: answers as soon as the job has finished, or when the time is up. */
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    TrainingJobResponse get(@PathVariable UUID id, @RequestParam(defaultValue = "0") int waitSeconds) {
        if (waitSeconds < 0 || waitSeconds > TrainingJobService.MAX_WAIT_SECONDS) {
            throw ApiException.badRequest("waitSeconds", "must be between 0 and "
                    + TrainingJobService.MAX_WAIT_SECONDS + ", got " + waitSeconds);
        }
        return service.get(id, waitSeconds);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    JobPage list(@RequestParam(required = false) String state, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || page > 1_000_000) {
            throw ApiException.badRequest("page", "must be between 0 and 1000000, got " + page);
        }
        if (size < 1 || size > 100) {
            throw ApiException.badRequest("size", "must be between 1 and 100, got " + size);
        }
        return service.list(state, page, size);
    }

    @GetMapping(value = "/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    JobMetricsResponse metrics(@PathVariable UUID id) {
        return service.metrics(id);
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable UUID id) {
        return events.stream(id);
    }

    /** 200 when the job is cancelled already (it was queued), 202 when its worker has been asked to stop. */
    @PostMapping(value = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TrainingJobResponse> cancel(@PathVariable UUID id) {
        TrainingJobService.Cancellation c = service.cancel(id);
        return ResponseEntity.status(c.done() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(c.job());
    }
}
