package io.tapeflow.training;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
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
 * Server-Sent Events of a job: a {@code progress} event whenever its row changes, then one {@code final} event with
 * the finished job, then the stream ends. It reads the database, so it works whichever replica runs the job; one
 * scheduler thread serves every open stream. On shutdown every open stream ends first, so none holds up the web
 * server's graceful shutdown.
 */
class JobEvents implements SmartLifecycle {

    private static final long STREAM_TIMEOUT_MILLIS = 6 * 3600_000L;

    private final TrainingJobService service;
    private final long pollMillis;
    private volatile ScheduledExecutorService poller;

    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    JobEvents(TrainingJobService service, TrainingProperties settings) {
        this.service = service;
        this.pollMillis = Math.max(50, settings.progressInterval().toMillis());
    }

    SseEmitter stream(UUID id) {
        service.row(id); // an unknown job is a 404 before the stream starts
        if (!running) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
                    "This replica is shutting down; ask another one", List.of());
        }
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        AtomicReference<Object> last = new AtomicReference<>();
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
        task.set(poller.scheduleWithFixedDelay(() -> push(id, emitter, last, stop), 0, pollMillis,
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    private void push(UUID id, SseEmitter emitter, AtomicReference<Object> last, Runnable stop) {
        try {
            TrainingJobResponse job = service.get(id);
            Object seen = List.of(job.state(), job.progress(), Objects.requireNonNullElse(job.latest(),
                    Map.of()), Objects.requireNonNullElse(job.cancelRequestedAt(), ""));
            if (job.state().isFinished()) {
                emitter.send(SseEmitter.event().name("final").id(job.state().name())
                        .data(job, MediaType.APPLICATION_JSON));
                stop.run();
                emitter.complete();
            } else if (!seen.equals(last.getAndSet(seen))) {
                emitter.send(SseEmitter.event().name("progress").data(job, MediaType.APPLICATION_JSON));
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away
            stop.run();
        } catch (RuntimeException e) {
            stop.run();
            emitter.completeWithError(e);
        }
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
