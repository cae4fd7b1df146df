package io.tapeflow.models;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code model_evaluations} table. {@link #insert} joins the caller's transaction when there is one (JdbcClient
 * on the application's DataSource), so a training job can store its validation report with its model.
 */
@Repository
public class EvaluationRepository {

    /** The two origins of a report (the {@code source} column). */
    public static final String DATASET = "dataset";
    public static final String VALIDATION = "validation";

    private static final String COLUMNS = "id, model_id, dataset_id, source, report, created_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public EvaluationRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Stores a report of the model (which must already be inserted, in this transaction or before) and returns it as
     * the API shows it. The time is taken here, to the microsecond both databases keep, so a later read is equal.
     *
     * @param datasetId the dataset scored, or null
     * @param source    {@link #DATASET} or {@link #VALIDATION}
     */
    public EvaluationResponse insert(UUID id, UUID modelId, UUID datasetId, String source, EvaluationBody body) {
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("INSERT INTO model_evaluations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, modelId, datasetId, source, json.writeValueAsString(body),
                        OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC))
                .update();
        return EvaluationResponse.of(id, modelId, datasetId, source, createdAt, body);
    }

    public Optional<EvaluationResponse> find(UUID modelId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_evaluations WHERE id = ? AND model_id = ?")
                .params(id, modelId).query(this::row).optional();
    }

    /** A model's reports, newest first. */
    public List<EvaluationResponse> list(UUID modelId, int offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_evaluations WHERE model_id = ? "
                        + "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(modelId, limit, offset).query(this::row).list();
    }

    public long count(UUID modelId) {
        return jdbc.sql("SELECT COUNT(*) FROM model_evaluations WHERE model_id = ?").param(modelId)
                .query(Long.class).single();
    }

    private EvaluationResponse row(ResultSet rs, int n) throws SQLException {
        EvaluationBody body = json.readValue(rs.getString("report"), EvaluationBody.class);
        return EvaluationResponse.of(rs.getObject("id", UUID.class), rs.getObject("model_id", UUID.class),
                rs.getObject("dataset_id", UUID.class), rs.getString("source"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), body);
    }
}
