package io.tapeflow.training;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.tapeflow.web.ApiException;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a job. An {@code epoch} event per finished epoch (its metrics and seconds; on connect the
 * epochs so far come first, so a short job shows its whole curve), a {@code progress} event with only what changed
 * (state, progress, latest metrics, ETA) whenever the job's row changes, then one {@code final} event with the
 * whole job, then the stream ends. Every event has an id {@code E.S} (the epochs sent, the step) that never
 * decreases; a client that reconnects with {@code Last-Event-ID} gets what came after it (the final event again,
 * if the job had finished). The stream reads the database, so it
 * works whichever replica runs the job; one scheduler thread serves every open stream. On shutdown every open
 * stream ends first, so none holds up the web server's graceful shutdown.
 */
class JobEvents implements SmartLifecycle {

    private static final long STREAM_TIMEOUT_MILLIS = 6 * 3600_000L;
    /** A comment after this long without an event: a client that went away fails the write, and its poll ends. */
    private static final long HEARTBEAT_NANOS = 15_000_000_000L;

    private final TrainingJobService service;
    private final long pollMillis;
    private volatile ScheduledExecutorService poller;

    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    /** What a {@code progress} event carries: the parts of the job that change while it runs. */
    record ProgressEvent(JobState state, TrainingJobResponse.ProgressView progress, Map<String, Double> latest,
            Double etaSeconds, int attempts, Instant startedAt, Instant cancelRequestedAt) {

        static ProgressEvent of(TrainingJobResponse job) {
            return new ProgressEvent(job.state(), job.progress(), Objects.requireNonNullElse(job.latest(), Map.of()),
                    job.etaSeconds(), job.attempts(), job.startedAt(), job.cancelRequestedAt());
        }

        /** Equal when nothing a client shows has changed (the ETA alone moves with the clock). */
        boolean sameAs(ProgressEvent other) {
            return other != null && state == other.state && Objects.equals(progress, other.progress)
                    && latest.equals(other.latest) && Objects.equals(cancelRequestedAt, other.cancelRequestedAt);
        }
    }

    /** Where a stream stands: the epochs it has sent and the step of its last progress event. */
    private static final class Cursor {
        int epochs;
        long step;
        ProgressEvent last;
        long sentNanos = System.nanoTime();

        /** {@code Last-Event-ID} as this stream writes it, {@code E.S}; anything else starts from the beginning. */
        static Cursor from(String lastEventId) {
            Cursor c = new Cursor();
            if (lastEventId != null) {
                String[] parts = lastEventId.trim().split("\\.");
                try {
                    if (parts.length == 2) {
                        c.epochs = Math.max(0, Integer.parseInt(parts[0]));
                        c.step = Math.max(0, Long.parseLong(parts[1]));
                    }
                } catch (NumberFormatException e) {
                    c.epochs = 0;
                    c.step = 0;
                }
            }
            return c;
        }

        String id() {
            return epochs + "." + step;
        }
    }

    JobEvents(TrainingJobService service, TrainingProperties settings) {
        this.service = service;
        this.pollMillis = Math.max(50, settings.progressInterval().toMillis());
    }

    SseEmitter stream(UUID id, String lastEventId) {
        service.row(id); // an unknown job is a 404 before the stream starts
        if (!running) {
            throw shuttingDown();
        }
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        Cursor cursor = Cursor.from(lastEventId);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable stop = () -> {
            open.remove(emitter);
            ScheduledFuture<?> f = task.get();
            if (f != null) {
                f.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(e -> stop.run());
        open.add(emitter);
        try {
            task.set(poller.scheduleWithFixedDelay(() -> push(id, emitter, cursor, stop), 0, pollMillis,
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) { // stopped between the check above and now
            open.remove(emitter);
            throw shuttingDown();
        }
        return emitter;
    }

    private static ApiException shuttingDown() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
                "This replica is shutting down; ask another one", List.of());
    }

    private void push(UUID id, SseEmitter emitter, Cursor cursor, Runnable stop) {
        try {
            TrainingJobResponse job = service.get(id);
            long stepsPerEpoch = job.progress().epochs() == 0 ? 0 : job.progress().steps() / job.progress().epochs();
            if (job.progress().epoch() > cursor.epochs || job.state().isFinished()) {
                for (EpochMetrics epoch : service.epochsAfter(id, cursor.epochs)) {
                    cursor.epochs = epoch.epoch();
                    cursor.step = Math.max(cursor.step, epoch.epoch() * stepsPerEpoch);
                    send(emitter, cursor, SseEmitter.event().name("epoch").id(cursor.id())
                            .data(epoch, MediaType.APPLICATION_JSON));
                }
            }
            if (job.state().isFinished()) {
                cursor.step = Math.max(cursor.step, job.progress().step());
                send(emitter, cursor, SseEmitter.event().name("final").id(cursor.id())
                        .data(job, MediaType.APPLICATION_JSON));
                stop.run();
                emitter.complete();
                return;
            }
            ProgressEvent now = ProgressEvent.of(job);
            // A job resumed from an earlier checkpoint steps back; its state change still goes out at once.
            boolean newState = cursor.last == null || now.state() != cursor.last.state();
            if (!now.sameAs(cursor.last) && (job.progress().step() >= cursor.step || newState)) {
                cursor.last = now;
                cursor.step = Math.max(cursor.step, job.progress().step());
                send(emitter, cursor, SseEmitter.event().name("progress").id(cursor.id())
                        .data(now, MediaType.APPLICATION_JSON));
            } else if (System.nanoTime() - cursor.sentNanos > HEARTBEAT_NANOS) {
                send(emitter, cursor, SseEmitter.event().comment("still running"));
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away
            stop.run();
        } catch (RuntimeException e) {
            stop.run();
            emitter.completeWithError(e);
        }
    }

    private static void send(SseEmitter emitter, Cursor cursor, SseEmitter.SseEventBuilder event)
            throws IOException {
        emitter.send(event);
        cursor.sentNanos = System.nanoTime();
    }

    /** Also called when a paused context (a cached test context, say) resumes: a fresh scheduler each time. */
    @Override
    public synchronized void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tapeflow-job-events");
            t.setDaemon(true);
            return t;
        });
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        poller.shutdownNow();
        for (SseEmitter emitter : open) {
            emitter.complete();
        }
        open.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
