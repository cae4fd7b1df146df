package io.tapeflow.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.tapeflow.models.EvaluationBody;
import io.tapeflow.models.EvaluationRepository;
import io.tapeflow.models.ListFilter;

import io.tapeflow.models.ModelRepository;
import io.tapeflow.models.StoredModel;
import io.tapeflow.nn.TrainingState;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.support.SqlBinaryValue;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job queue (docs/architecture.md §3). Claims are one statement; every write a worker makes afterwards is fenced by its lease
 * token ({@code WHERE id = ? AND lease_token = ? AND state = 'RUNNING'}), so a worker that lost its lease changes
 * nothing. All times are the database's ({@code CURRENT_TIMESTAMP}), never this JVM's.
 */
public class TrainingJobRepository {

    private static final String COLUMNS = """
            id, dataset_id, state, request, created_at, run_at, started_at, finished_at, attempts,
            max_attempts, epoch, epochs, step, steps, steps_per_second, latest_metrics, error_code, error_message,
            error_epoch, model_id, cancel_requested_at, lease_owner, request_hash, checkpoint_epoch,
            stop_requested_at, stopped_early""";

    private static final String CLAIMED_COLUMNS = """
            id, lease_token, attempts, dataset_id, request, max_runtime_seconds, checkpoint_epoch""";

    /** Milliseconds as an interval, in a form both PostgreSQL and H2 accept. */
    private static final String MILLIS = "CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    private static final String FENCE = " WHERE id = ? AND lease_token = ? AND state = 'RUNNING'";

    private static final String LET_GO = "lease_owner = NULL, lease_token = NULL, lease_until = NULL";

    /** A claim's changes to the job's row; its parameters: the owner, the lease token, the lease in milliseconds. */
    private static final String CLAIM = """
            SET state = 'RUNNING', attempts = attempts + 1, lease_owner = ?, lease_token = ?,
                lease_until = CURRENT_TIMESTAMP + %s, started_at = COALESCE(started_at, CURRENT_TIMESTAMP)"""
            .formatted(MILLIS);

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ModelRepository models;
    private final EvaluationRepository evaluations;
    private final Dialect dialect;

    TrainingJobRepository(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate tx, JsonMapper json,
            ModelRepository models, EvaluationRepository evaluations, Dialect dialect) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.tx = tx;
        this.json = json;
        this.models = models;
        this.evaluations = evaluations;
        this.dialect = dialect;
    }

    void insert(NewJob job) {
        jdbc.sql("""
                INSERT INTO training_jobs (id, dataset_id, state, request, max_attempts,
                    max_runtime_seconds, epochs, steps, idempotency_key, request_hash, name, tags, initial_model_id)
                VALUES (?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(job.id(), job.datasetId(), job.request(), job.maxAttempts(),
                        job.maxRuntimeSeconds(), job.epochs(), job.steps(), job.idempotencyKey(), job.requestHash(),
                        job.name(), job.tags(), job.initialModelId())
                .update();
    }

    Optional<JobRow> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs WHERE id = ?").param(id)
                .query(TrainingJobRepository::row).optional();
    }

    Optional<JobRow> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs WHERE idempotency_key = ?").param(key)
                .query(TrainingJobRepository::row).optional();
    }

    /** Newest first; {@code state} null for every state. */
    List<JobRow> list(JobState state, ListFilter filter, int offset, int limit) {
        List<Object> params = new java.util.ArrayList<>();
        String where = where(state, filter, params);
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(params).query(TrainingJobRepository::row).list();
    }

    long count(JobState state) {
        return count(state, ListFilter.NONE);
    }

    long count(JobState state, ListFilter filter) {
        List<Object> params = new java.util.ArrayList<>();
        String where = where(state, filter, params);
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs" + where).params(params).query(Long.class).single();
    }

    private static String where(JobState state, ListFilter filter, List<Object> params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (state != null) {
            where.append(" AND state = ?");
            params.add(state.name());
        }
        filter.appendTo(where, params);
        return where.toString();
    }

    /**
     * Deletes a finished job with its metrics and checkpoint (the foreign keys cascade); its model stays, with
     * {@code jobId} null (ON DELETE SET NULL). False when the job is not finished (or not there).
     */
    boolean deleteFinished(UUID id) {
        return jdbc.sql("DELETE FROM training_jobs WHERE id = ? AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')")
                .param(id).update() == 1;
    }

    Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("SELECT state, COUNT(*) AS n FROM training_jobs GROUP BY state")
                .query((rs, n) -> counts.put(JobState.valueOf(rs.getString("state")), rs.getLong("n")))
                .list();
        return counts;
    }

    /** Jobs queued and already due: the backlog the workers have not reached yet. */
    long queueDepth() {
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE state = 'QUEUED' AND run_at <= CURRENT_TIMESTAMP")
                .query(Long.class).single();
    }

    /** The epochs after {@code afterEpoch}, in order: what an event stream has not sent yet. */
    List<EpochMetrics> metricsAfter(UUID id, int afterEpoch) {
        return jdbc.sql("SELECT epoch, metrics, seconds FROM training_job_metrics WHERE job_id = ? AND epoch > ? "
                        + "ORDER BY epoch")
                .params(id, afterEpoch)
                .query((rs, n) -> new EpochMetrics(rs.getInt("epoch"), readMetrics(rs.getString("metrics")),
                        rs.getDouble("seconds")))
                .list();
    }

    List<EpochMetrics> metrics(UUID id) {
        return jdbc.sql("SELECT epoch, metrics, seconds FROM training_job_metrics WHERE job_id = ? ORDER BY epoch")
                .param(id)
                .query((rs, n) -> new EpochMetrics(rs.getInt("epoch"), readMetrics(rs.getString("metrics")),
                        rs.getDouble("seconds")))
                .list();
    }

    // ---- claiming ------------------------------------------------------------------------------------------

    /** Claims the next due job for {@code owner}, or returns empty when none is due. */
    Optional<ClaimedJob> claim(String owner, Duration lease) {
        UUID token = UUID.randomUUID();
        return dialect == Dialect.POSTGRESQL ? claimSkipLocked(owner, token, lease) : claimGuarded(owner, token, lease);
    }

    private Optional<ClaimedJob> claimSkipLocked(String owner, UUID token, Duration lease) {
        return jdbc.sql("""
                UPDATE training_jobs
                %s
                WHERE id = (SELECT id FROM training_jobs
                            WHERE state = 'QUEUED' AND run_at <= CURRENT_TIMESTAMP
                            ORDER BY priority, created_at, id
                            LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING %s""".formatted(CLAIM, CLAIMED_COLUMNS))
                .params(owner, token, lease.toMillis())
                .query(TrainingJobRepository::claimed).optional();
    }

    /**
     * H2 runs inside one process, so a plain select finds the candidate and the update's guard on {@code state}
     * decides the race: an update count of 1 means this worker won, 0 that another did, and it looks again.
     */
    private Optional<ClaimedJob> claimGuarded(String owner, UUID token, Duration lease) {
        while (true) {
            Optional<UUID> candidate = jdbc.sql("""
                    SELECT id FROM training_jobs WHERE state = 'QUEUED' AND run_at <= CURRENT_TIMESTAMP
                    ORDER BY priority, created_at, id LIMIT 1""").query(UUID.class).optional();
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            int won = jdbc.sql("UPDATE training_jobs " + CLAIM + " WHERE id = ? AND state = 'QUEUED'")
                    .params(owner, token, lease.toMillis(), candidate.get())
                    .update();
            if (won == 1) {
                return jdbc.sql("SELECT " + CLAIMED_COLUMNS + " FROM training_jobs WHERE id = ? AND lease_token = ?")
                        .params(candidate.get(), token).query(TrainingJobRepository::claimed).optional();
            }
        }
    }

    /**
     * Inserts the job, claims it as {@code owner} (the claim's changes, by id) and hands it to {@code work}, all in one
     * transaction that is then rolled back, whatever {@code work} writes through this repository meanwhile on this
     * thread (its transactions join this one): the start-up warm-up's rehearsal of a job's writes. No other
     * transaction ever sees the rows, and none is kept.
     */
    void rehearse(NewJob job, String owner, Duration lease, Consumer<ClaimedJob> work) {
        UUID token = UUID.randomUUID();
        inTransaction(status -> {
            status.setRollbackOnly();
            insert(job);
            jdbc.sql("UPDATE training_jobs " + CLAIM + " WHERE id = ?").params(owner, token, lease.toMillis(), job.id())
                    .update();
            work.accept(jdbc.sql("SELECT " + CLAIMED_COLUMNS + " FROM training_jobs WHERE id = ?").param(job.id())
                    .query(TrainingJobRepository::claimed).single());
            return null;
        });
    }

    // ---- fenced writes of the worker holding the lease ---------------------------------------------------------

    LeaseStatus heartbeat(UUID id, UUID token, Duration lease) {
        int n = jdbc.sql("UPDATE training_jobs SET lease_until = CURRENT_TIMESTAMP + " + MILLIS + FENCE)
                .params(lease.toMillis(), id, token).update();
        return n == 1 ? cancelStatus(id) : LeaseStatus.LOST;
    }

    /** Progress, the latest metrics and the epochs finished since the last write, in one fenced transaction. */
    LeaseStatus writeProgress(UUID id, UUID token, Progress progress, Map<String, Double> latest,
            List<EpochMetrics> epochs) {
        return inTransaction(status -> {
            if (!updateProgress(id, token, progress, latest, epochs)) {
                return LeaseStatus.LOST;
            }
            return cancelStatus(id);
        });
    }

    /**
     * Replaces the job's checkpoint with {@code state} after {@code epoch} epochs, fenced; false if the lease was
     * lost. The bytes are streamed to the database as they are produced.
     */
    boolean writeCheckpoint(UUID id, UUID token, TrainingState state, int epoch) {
        Boolean written = inTransaction(status -> {
            int n = jdbc.sql("UPDATE training_jobs SET checkpoint_epoch = ?, checkpoint_at = CURRENT_TIMESTAMP"
                    + FENCE).params(epoch, id, token).update();
            if (n != 1) {
                return false;
            }
            storeCheckpoint(id, state, epoch);
            return true;
        });
        return Boolean.TRUE.equals(written);
    }

    /** The state the job's last checkpoint saved, or empty when it has none. */
    Optional<TrainingState> readCheckpoint(UUID id) {
        return jdbc.sql("SELECT state FROM training_job_checkpoints WHERE job_id = ?").param(id)
                .query((rs, n) -> {
                    try (InputStream in = rs.getBinaryStream("state")) {
                        return Checkpoints.read(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).optional();
    }

    private void storeCheckpoint(UUID id, TrainingState state, int epoch) {
        long size = Checkpoints.size(state);
        int n = jdbc.sql("""
                UPDATE training_job_checkpoints SET epoch = ?, size_bytes = ?, state = ?,
                    written_at = CURRENT_TIMESTAMP WHERE job_id = ?""")
                .params(epoch, size, new SqlBinaryValue(Checkpoints.stream(state), size), id).update();
        if (n == 0) {
            jdbc.sql("INSERT INTO training_job_checkpoints (job_id, epoch, size_bytes, state) VALUES (?, ?, ?, ?)")
                    .params(id, epoch, size, new SqlBinaryValue(Checkpoints.stream(state), size)).update();
        }
    }

    /** A finished job resumes from nothing: its checkpoint goes in the transaction that finishes it. */
    private void dropCheckpoint(UUID id) {
        jdbc.sql("DELETE FROM training_job_checkpoints WHERE job_id = ?").param(id).update();
    }

    /**
     * Marks the job succeeded and stores its model, with the evaluation report of its validation rows when it has
     * one, in the same transaction; false if the lease was lost.
     */
    boolean succeed(UUID id, UUID token, Progress progress, Map<String, Double> latest, List<EpochMetrics> epochs,
            StoredModel model, EvaluationBody validation) {
        return succeed(id, token, progress, latest, epochs, model, validation, false, null);
    }

    /**
     * As above; {@code stoppedEarly} when a stop request ended the job before its last epoch, and {@code carried}
     * (null for none) the fit's state at that boundary: kept as the job's checkpoint, where a job that starts from
     * the model finds it ({@link #carriedState}). It goes with the job.
     */
    boolean succeed(UUID id, UUID token, Progress progress, Map<String, Double> latest, List<EpochMetrics> epochs,
            StoredModel model, EvaluationBody validation, boolean stoppedEarly, TrainingState carried) {
        Boolean done = inTransaction(status -> {
            if (!updateProgress(id, token, progress, latest, epochs)) {
                return false;
            }
            int n = jdbc.sql("""
                    UPDATE training_jobs SET state = 'SUCCEEDED', finished_at = CURRENT_TIMESTAMP, model_id = ?,
                        stopped_early = ?, checkpoint_epoch = NULL, %s""".formatted(LET_GO) + FENCE)
                    .params(model.id(), stoppedEarly, id, token).update();
            if (n != 1) {
                status.setRollbackOnly();
                return false;
            }
            models.insert(model);
            if (validation != null) {
                evaluations.insert(UUID.randomUUID(), model.id(), model.datasetId(), EvaluationRepository.VALIDATION,
                        validation);
            }
            if (carried != null) {
                storeCheckpoint(id, carried, carried.nextEpoch());
            } else {
                dropCheckpoint(id);
            }
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    boolean fail(UUID id, UUID token, Progress progress, Map<String, Double> latest, List<EpochMetrics> epochs,
            String code, String message, Integer epoch) {
        return finish(id, token, progress, latest, epochs, """
                UPDATE training_jobs SET state = 'FAILED', finished_at = CURRENT_TIMESTAMP, error_code = ?,
                    error_message = ?, error_epoch = ?, checkpoint_epoch = NULL, %s""".formatted(LET_GO) + FENCE,
                code, truncate(message), epoch, id, token);
    }

    boolean cancelled(UUID id, UUID token, Progress progress, Map<String, Double> latest, List<EpochMetrics> epochs) {
        return finish(id, token, progress, latest, epochs, """
                UPDATE training_jobs SET state = 'CANCELLED', finished_at = CURRENT_TIMESTAMP, checkpoint_epoch = NULL,
                    %s""".formatted(LET_GO) + FENCE, id, token);
    }

    /**
     * Gives a job back to the queue at once (graceful shutdown), with the checkpoint to resume from. The claim
     * does not count as an attempt: nothing went wrong with the job. A job with a cancel pending ends instead.
     */
    boolean release(UUID id, UUID token, Progress progress, Map<String, Double> latest, List<EpochMetrics> epochs,
            TrainingState checkpoint, Integer checkpointEpoch) {
        String requeue = """
                UPDATE training_jobs
                SET state = CASE WHEN cancel_requested_at IS NULL THEN 'QUEUED' ELSE 'CANCELLED' END,
                    finished_at = CASE WHEN cancel_requested_at IS NULL THEN NULL ELSE CURRENT_TIMESTAMP END,
                    attempts = attempts - 1, run_at = CURRENT_TIMESTAMP, %s""".formatted(LET_GO);
        if (checkpoint == null) {
            // no new state: the job keeps the checkpoint it has, and resumes from it
            Boolean done = inTransaction(status -> {
                if (!updateProgress(id, token, progress, latest, epochs)
                        || jdbc.sql(requeue + FENCE).params(id, token).update() != 1) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            });
            return Boolean.TRUE.equals(done);
        }
        Boolean done = inTransaction(status -> {
            if (!updateProgress(id, token, progress, latest, epochs) || jdbc.sql(requeue
                    + ", checkpoint_epoch = ?, checkpoint_at = CURRENT_TIMESTAMP" + FENCE)
                    .params(checkpointEpoch, id, token).update() != 1) {
                status.setRollbackOnly();
                return false;
            }
            storeCheckpoint(id, checkpoint, checkpointEpoch);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    private boolean finish(UUID id, UUID token, Progress progress, Map<String, Double> latest,
            List<EpochMetrics> epochs, String sql, Object... params) {
        Boolean done = inTransaction(status -> {
            if (!updateProgress(id, token, progress, latest, epochs)) {
                return false;
            }
            if (jdbc.sql(sql).params(params).update() != 1) {
                status.setRollbackOnly();
                return false;
            }
            dropCheckpoint(id);
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    private boolean updateProgress(UUID id, UUID token, Progress p, Map<String, Double> latest,
            List<EpochMetrics> epochs) {
        int n = jdbc.sql("""
                UPDATE training_jobs SET epoch = ?, epochs = ?, step = ?, steps = ?, steps_per_second = ?,
                    latest_metrics = COALESCE(?, latest_metrics), progress_at = CURRENT_TIMESTAMP""" + FENCE)
                .params(p.epoch(), p.epochs(), p.step(), p.steps(), p.stepsPerSecond(),
                        latest == null || latest.isEmpty() ? null : json.writeValueAsString(latest), id, token)
                .update();
        if (n != 1) {
            return false;
        }
        if (!epochs.isEmpty()) {
            // A resumed attempt repeats the epochs after its checkpoint: its rows replace the earlier attempt's.
            jdbc.sql("DELETE FROM training_job_metrics WHERE job_id = ? AND epoch >= ?")
                    .params(id, epochs.get(0).epoch()).update();
            // One batch, one round trip: a short job's first progress write carries the 300 and more epochs of its
            // first 250 ms.
            batch.batchUpdate("INSERT INTO training_job_metrics (job_id, epoch, metrics, seconds) VALUES (?, ?, ?, ?)",
                    epochs, epochs.size(), (statement, e) -> {
                        statement.setObject(1, id);
                        statement.setInt(2, e.epoch());
                        statement.setString(3, json.writeValueAsString(e.metrics()));
                        statement.setDouble(4, e.seconds());
                    });
        }
        return true;
    }

    /**
     * A transaction that cannot begin, commit or roll back means the database went away: reported as the same
     * transient {@code DataAccessException} a failed statement gives, which workers already retry.
     */
    private <T> T inTransaction(TransactionCallback<T> work) {
        try {
            return tx.execute(work);
        } catch (TransactionException e) {
            throw new TransientDataAccessResourceException("The database transaction failed: " + e.getMessage(), e);
        }
    }

    private LeaseStatus cancelStatus(UUID id) {
        return jdbc.sql("SELECT cancel_requested_at, stop_requested_at FROM training_jobs WHERE id = ?").param(id)
                .query((rs, n) -> rs.getObject(1) != null ? LeaseStatus.CANCEL_REQUESTED
                        : rs.getObject(2) != null ? LeaseStatus.STOP_REQUESTED : LeaseStatus.HELD).single();
    }

    // ---- cancel requests and the reaper -----------------------------------------------------------------------

    /** Cancels a job no worker holds yet; false if it was not queued. */
    boolean cancelQueued(UUID id) {
        return jdbc.sql("""
                UPDATE training_jobs SET state = 'CANCELLED', cancel_requested_at = CURRENT_TIMESTAMP,
                    finished_at = CURRENT_TIMESTAMP
                WHERE id = ? AND state = 'QUEUED'""").param(id).update() == 1;
    }

    /** Asks the worker running the job to stop; false if it was not running. */
    boolean requestCancel(UUID id) {
        return jdbc.sql("""
                UPDATE training_jobs SET cancel_requested_at = COALESCE(cancel_requested_at, CURRENT_TIMESTAMP)
                WHERE id = ? AND state = 'RUNNING'""").param(id).update() == 1;
    }

    /**
     * Asks the worker running the job to end it at its next epoch boundary and keep the model; false if it was not
     * running or a cancel is pending (which outranks it).
     */
    boolean requestStop(UUID id) {
        return jdbc.sql("""
                UPDATE training_jobs SET stop_requested_at = COALESCE(stop_requested_at, CURRENT_TIMESTAMP)
                WHERE id = ? AND state = 'RUNNING' AND cancel_requested_at IS NULL""").param(id).update() == 1;
    }

    /**
     * The state a stopped job kept with its model and the request it ran, or empty when the model has no job any
     * more, was not stopped early, or the state is gone.
     */
    Optional<Carried> carriedState(UUID jobId) {
        Optional<JobRow> job = find(jobId).filter(JobRow::stoppedEarly);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        TrainingSpec spec = json.readValue(job.get().request(), TrainingSpec.class);
        return readCheckpoint(jobId).map(state -> new Carried(spec, state));
    }

    /** A stopped job's request and its state at the boundary where it stopped. */
    record Carried(TrainingSpec spec, TrainingState state) {
    }

    /**
     * Deals with every running job whose lease expired: a pending cancel ends it, an exhausted one fails with
     * {@code WORKER_LOST}, any other goes back to the queue after a backoff that doubles per attempt. Each
     * statement re-checks its conditions, so reapers on several replicas can run at once.
     *
     * @return how many jobs were re-queued, cancelled or failed
     */
    int reapExpiredLeases(Duration backoff) {
        String expired = " WHERE state = 'RUNNING' AND lease_until < CURRENT_TIMESTAMP";
        int n = jdbc.sql("UPDATE training_jobs SET state = 'CANCELLED', finished_at = CURRENT_TIMESTAMP, "
                + "checkpoint_epoch = NULL, " + LET_GO + expired + " AND cancel_requested_at IS NOT NULL").update();
        n += jdbc.sql("""
                UPDATE training_jobs SET state = 'FAILED', finished_at = CURRENT_TIMESTAMP, error_code = 'WORKER_LOST',
                    error_message = 'The worker running this job stopped answering on each of its '
                        || CAST(attempts AS VARCHAR(10)) || ' attempts', checkpoint_epoch = NULL, """ + LET_GO
                        + expired + " AND attempts >= max_attempts").update();
        n += jdbc.sql("""
                UPDATE training_jobs
                SET state = 'QUEUED', run_at = CURRENT_TIMESTAMP
                        + CAST(? * POWER(2, LEAST(attempts - 1, 16)) AS BIGINT) * INTERVAL '0.001' SECOND, """
                        + LET_GO + expired + " AND attempts < max_attempts")
                .param(backoff.toMillis()).update();
        if (n > 0) {
            // Jobs the reaper ended need their checkpoints no more.
            jdbc.sql("""
                    DELETE FROM training_job_checkpoints WHERE job_id IN
                        (SELECT id FROM training_jobs WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
                            AND NOT stopped_early)""")
                    .update();
        }
        return n;
    }

    // ---- mapping ---------------------------------------------------------------------------------------------

    private Map<String, Double> readMetrics(String text) {
        if (text == null) {
            return Map.of();
        }
        return json.readValue(text, json.getTypeFactory().constructMapType(Map.class, String.class, Double.class));
    }

    Map<String, Double> latestMetrics(JobRow row) {
        return readMetrics(row.latestMetrics());
    }

    private static String truncate(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
    }

    private static ClaimedJob claimed(ResultSet rs, int n) throws SQLException {
        int checkpointEpoch = rs.getInt("checkpoint_epoch");
        Integer checkpointEpochOrNull = rs.wasNull() ? null : checkpointEpoch;
        return new ClaimedJob(rs.getObject("id", UUID.class), rs.getObject("lease_token", UUID.class),
                rs.getInt("attempts"), rs.getObject("dataset_id", UUID.class), rs.getString("request"),
                rs.getInt("max_runtime_seconds"), checkpointEpochOrNull);
    }

    private static JobRow row(ResultSet rs, int n) throws SQLException {
        double sps = rs.getDouble("steps_per_second");
        Double stepsPerSecond = rs.wasNull() ? null : sps;
        int errorEpoch = rs.getInt("error_epoch");
        Integer errorEpochOrNull = rs.wasNull() ? null : errorEpoch;
        int checkpointEpoch = rs.getInt("checkpoint_epoch");
        Integer checkpointEpochOrNull = rs.wasNull() ? null : checkpointEpoch;
        return new JobRow(rs.getObject("id", UUID.class), rs.getObject("dataset_id", UUID.class),
                JobState.valueOf(rs.getString("state")), rs.getString("request"),
                instant(rs, "created_at"), instant(rs, "run_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                new Progress(rs.getInt("epoch"), rs.getInt("epochs"), rs.getLong("step"), rs.getLong("steps"),
                        stepsPerSecond),
                rs.getString("latest_metrics"), rs.getString("error_code"), rs.getString("error_message"),
                errorEpochOrNull, rs.getObject("model_id", UUID.class), instant(rs, "cancel_requested_at"),
                rs.getString("lease_owner"), rs.getString("request_hash"), checkpointEpochOrNull,
                instant(rs, "stop_requested_at"), rs.getBoolean("stopped_early"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
