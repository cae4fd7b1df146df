package io.tapeflow.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.tapeflow.web.RequestSizeFilter.BodyTooLargeException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * Reads a request body without a request thread while the client sends it (Servlet 3.1 non-blocking I/O): the
 * handler returns a {@link DeferredResult} at once, the container calls back as bytes arrive, and the whole body
 * (at most {@code tapeflow.limits.max-request-bytes}) goes to the handler's function once it is complete. A body
 * not complete within {@code tapeflow.limits.upload-timeout} is a 408. Blocking reads let 210 clients sending a CSV
 * line every 2 s take every Tomcat thread; an unrelated request then waited 26 s. One scheduler thread watches every
 * deadline. On shutdown every body still arriving is answered 503 at once, so none holds up the graceful shutdown.
 */
@Component
public class AsyncBodies implements SmartLifecycle, DisposableBean {

    private final long maxBytes;
    private final Duration timeout;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tapeflow-upload-deadlines");
        t.setDaemon(true);
        return t;
    });
    private final Set<Body<?>> arriving = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    AsyncBodies(RequestLimits limits) {
        this.maxBytes = limits.maxRequestBytes().toBytes();
        this.timeout = limits.uploadTimeout();
    }

    /**
     * The answer {@code then} gives for the request's body, read without blocking. {@code then} runs on a container
     * thread once the body is complete, outside the request's thread-bound context (compute anything that needs
     * the request, such as its URI, before); what it throws is answered by the usual exception handlers.
     */
    public <T> DeferredResult<T> read(HttpServletRequest request, Function<byte[], T> then) {
        // A backstop only: the deadline below answers first. It covers parsing and storing too, which run after it.
        DeferredResult<T> result = new DeferredResult<>(timeout.toMillis() + 300_000);
        Body<T> body = new Body<>(request, result, then);
        // The read listener may only be set once the request is asynchronous, which Spring MVC makes it after the
        // handler has returned the DeferredResult: preProcess runs right then.
        WebAsyncUtils.getAsyncManager(request).registerDeferredResultInterceptor(Body.class, body);
        return result;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Answers every body still arriving; the scheduler stays, for a context that starts again (cached tests). */
    @Override
    public void stop() {
        running = false;
        for (Body<?> body : arriving) {
            body.answer(shuttingDown());
        }
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static ApiException shuttingDown() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
                "This replica is shutting down; send the upload to another one", List.of());
    }

    private ApiException timedOut() {
        String message = "must arrive within " + timeout.toSeconds() + " s (tapeflow.limits.upload-timeout)";
        return new ApiException(HttpStatus.REQUEST_TIMEOUT, "Request timeout", "body: " + message,
                List.of(new FieldProblem("body", message)));
    }

    /**
     * One body being read. Whichever comes first answers, once: the end of the body, a read error or the deadline.
     * Past the size limit the rest is still read and dropped (up to as much again) before the 413, so that the
     * client, still sending, reads the answer rather than a reset connection.
     */
    private final class Body<T> implements ReadListener, DeferredResultProcessingInterceptor {

        private final HttpServletRequest request;
        private final DeferredResult<T> result;
        private final Function<byte[], T> then;
        private final AtomicBoolean answered = new AtomicBoolean();
        /** Grows with what arrives, never with what a client declares: a slow client holds what it has sent. */
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[8192];
        private ServletInputStream in;
        private volatile ScheduledFuture<?> deadline;
        private BodyTooLargeException tooLarge;
        private long dropped;

        Body(HttpServletRequest request, DeferredResult<T> result, Function<byte[], T> then) {
            this.request = request;
            this.result = result;
            this.then = then;
        }

        @Override
        public <S> void preProcess(NativeWebRequest webRequest, DeferredResult<S> started) throws IOException {
            if (started != result) {
                return;
            }
            arriving.add(this);
            if (!running) {
                answer(shuttingDown());
                return;
            }
            deadline = deadlines.schedule(() -> answer(timedOut()), timeout.toMillis(), TimeUnit.MILLISECONDS);
            in = request.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() {
            try {
                while (!answered.get() && in.isReady()) {
                    if (!take()) {
                        return;
                    }
                }
            } catch (IOException e) {
                onError(e);
            }
        }

        /** Reads what is there; false at the end of the body, or once enough has been dropped past the limit. */
        private boolean take() throws IOException {
            try {
                int n = in.read(chunk);
                if (n > 0 && tooLarge == null) {
                    bytes.write(chunk, 0, n);
                }
                return n >= 0;
            } catch (BodyTooLargeException e) {
                // RequestSizeFilter refuses each read past the limit, having consumed it (at most a chunk)
                tooLarge = e;
                dropped += chunk.length;
                if (dropped > maxBytes) {
                    answer(e);
                    return false;
                }
                return true;
            }
        }

        @Override
        public void onAllDataRead() {
            if (tooLarge != null) {
                answer(tooLarge);
                return;
            }
            if (!claim()) {
                return;
            }
            if (bytes.size() == 0) {
                result.setErrorResult(ApiException.badRequest("body", "is required and must not be empty"));
                return;
            }
            try {
                result.setResult(then.apply(bytes.toByteArray()));
            } catch (RuntimeException e) {
                result.setErrorResult(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            // the client went away or broke the body off; an Error is the server's and answered as such
            answer(t instanceof IOException ? ApiException.badRequest("body", "could not be read: the connection "
                    + "ended before the body was complete") : t);
        }

        @Override
        public <S> void afterCompletion(NativeWebRequest webRequest, DeferredResult<S> completed) {
            claim();
        }

        private void answer(Object error) {
            if (claim()) {
                result.setErrorResult(error);
            }
        }

        /** True for the one caller that may answer; stops the deadline either way. */
        private boolean claim() {
            arriving.remove(this);
            if (deadline != null) {
                deadline.cancel(false);
            }
            return answered.compareAndSet(false, true);
        }
    }
}
