package io.tapeflow.training;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.tapeflow.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long polls of jobs ({@code GET /training-jobs/{id}?waitSeconds=N}) without a request thread each: a waiting
 * client holds a {@link DeferredResult}, and one thread answers them all. It wakes when this replica writes an
 * outcome and otherwise every 100 ms (jobs that other replicas run), reading each watched job once per round
 * however many clients wait on it. A poll answers once its job has finished, or with the job as it is when its
 * time is up; 210 waiting polls pinned every Tomcat thread before, and an unrelated request waited 16 s.
 */
class LongPolls implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LongPolls.class);
    private static final long ROUND_MILLIS = 100;

    private record Poll(UUID id, long deadlineNanos, DeferredResult<TrainingJobResponse> result) {
    }

    private final TrainingJobService service;
    private final TrainingWorkerPool pool;
    private final Queue<Poll> waiting = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;

    LongPolls(TrainingJobService service, TrainingWorkerPool pool) {
        this.service = service;
        this.pool = pool;
    }

    /** The job now if it has finished or {@code waitSeconds} is 0; otherwise an answer to come. */
    DeferredResult<TrainingJobResponse> await(UUID id, int waitSeconds) {
        // A generous servlet timeout: the poller answers at the deadline; this only guards against a stuck one.
        DeferredResult<TrainingJobResponse> result = new DeferredResult<>((waitSeconds + 30) * 1000L);
        TrainingJobResponse now = service.get(id); // 404 at once for an unknown job
        if (waitSeconds == 0 || now.state().isFinished() || thread == null) {
            result.setResult(now);
            return result;
        }
        Poll poll = new Poll(id, System.nanoTime() + waitSeconds * 1_000_000_000L, result);
        result.onTimeout(() -> result.setResult(service.get(id)));
        result.onCompletion(() -> waiting.remove(poll));
        waiting.add(poll);
        return result;
    }

    private void run() {
        while (thread == Thread.currentThread()) {
            try {
                pool.awaitOutcome(ROUND_MILLIS);
                answerRound();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a database outage: the polls wait for the next round or their deadline
                log.debug("Long-poll round failed: {}", e.getMessage());
            }
        }
    }

    private void answerRound() {
        Map<UUID, TrainingJobResponse> read = new HashMap<>();
        long now = System.nanoTime();
        for (Iterator<Poll> it = waiting.iterator(); it.hasNext();) {
            Poll poll = it.next();
            if (poll.result().isSetOrExpired()) {
                it.remove();
                continue;
            }
            TrainingJobResponse job;
            try {
                job = read.computeIfAbsent(poll.id(), service::get);
            } catch (ApiException e) {
                poll.result().setErrorResult(e); // deleted meanwhile: a 404 like any other read of it
                it.remove();
                continue;
            }
            if (job.state().isFinished() || now - poll.deadlineNanos() >= 0) {
                poll.result().setResult(job);
                it.remove();
            }
        }
    }

    @Override
    public synchronized void start() {
        Thread t = new Thread(this::run, "tapeflow-long-polls");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Answers every waiting poll with its job as it is, so none holds up a graceful shutdown. */
    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
        for (Poll poll : waiting) {
            try {
                poll.result().setResult(service.get(poll.id()));
            } catch (RuntimeException e) {
                poll.result().setErrorResult(e);
            }
        }
        waiting.clear();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
