package io.tapeflow.models;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code models} table. A training job inserts its model inside the transaction that marks it succeeded. */
@Repository
public class ModelRepository {

    private static final String COLUMNS = "id, job_id, dataset_id, kind, origin, created_at, document";

    private final JdbcClient jdbc;

    public ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StoredModel model) {
        jdbc.sql("""
                INSERT INTO models (id, job_id, dataset_id, kind, origin, document)
                VALUES (:id, :jobId, :datasetId, :kind, :origin, :document)""")
                .param("id", model.id())
                .param("jobId", model.jobId())
                .param("datasetId", model.datasetId())
                .param("kind", model.kind())
                .param("origin", model.origin())
                .param("document", model.document())
                .update();
    }

    public Optional<StoredModel> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE id = ?").param(id)
                .query(ModelRepository::row).optional();
    }

    public List<StoredModel> list(int offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models ORDER BY created_at DESC, id LIMIT ? OFFSET ?")
                .param(limit).param(offset).query(ModelRepository::row).list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM models").query(Long.class).single();
    }

    public long countForJob(UUID jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM models WHERE job_id = ?").param(jobId).query(Long.class).single();
    }

    private static StoredModel row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new StoredModel(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
                rs.getObject("dataset_id", UUID.class), rs.getString("kind"), rs.getString("origin"),
                created == null ? null : created.toInstant(), rs.getString("document"));
    }
}
