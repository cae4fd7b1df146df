package io.tapeflow.models;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code models} table. A training job inserts its model inside the transaction that marks it succeeded. */
@Repository
public class ModelRepository {

    private static final String COLUMNS = "id, job_id, dataset_id, kind, origin, created_at, document, name, tags";

    private final JdbcClient jdbc;

    public ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(StoredModel model) {
        jdbc.sql("""
                INSERT INTO models (id, job_id, dataset_id, kind, origin, document, name, tags)
                VALUES (:id, :jobId, :datasetId, :kind, :origin, :document, :name, :tags)""")
                .param("id", model.id())
                .param("jobId", model.jobId())
                .param("datasetId", model.datasetId())
                .param("kind", model.kind())
                .param("origin", model.origin())
                .param("document", model.document())
                .param("name", model.name())
                .param("tags", Labels.column(model.tags()))
                .update();
    }

    public Optional<StoredModel> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE id = ?").param(id)
                .query(ModelRepository::row).optional();
    }

    public List<StoredModel> list(int offset, int limit) {
        return list(ListFilter.NONE, offset, limit);
    }

    /** Newest first, the models the filter lets through. */
    public List<StoredModel> list(ListFilter filter, int offset, int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        params.add(limit);
        params.add(offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM models" + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")
                .params(params).query(ModelRepository::row).list();
    }

    public long count() {
        return count(ListFilter.NONE);
    }

    public long count(ListFilter filter) {
        List<Object> params = new ArrayList<>();
        return jdbc.sql("SELECT COUNT(*) FROM models" + where(filter, params)).params(params).query(Long.class)
                .single();
    }

    private static String where(ListFilter filter, List<Object> params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        filter.appendTo(where, params);
        return where.toString();
    }

    /**
     * Deletes the model with its evaluation reports (ON DELETE CASCADE) unless a queued or running job starts from
     * it, in one statement so no such job can slip in between a check and the delete.
     *
     * @return the number of rows deleted: 1, or 0 when the model is not there or a job needs it
     */
    public int deleteUnlessInUse(UUID id) {
        return jdbc.sql("""
                DELETE FROM models WHERE id = ? AND NOT EXISTS (SELECT 1 FROM training_jobs
                    WHERE initial_model_id = ? AND state IN ('QUEUED', 'RUNNING'))""").params(id, id).update();
    }

    public long countForJob(UUID jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM models WHERE job_id = ?").param(jobId).query(Long.class).single();
    }

    private static StoredModel row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new StoredModel(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
                rs.getObject("dataset_id", UUID.class), rs.getString("kind"), rs.getString("origin"),
                created == null ? null : created.toInstant(), rs.getString("document"), rs.getString("name"),
                Labels.tags(rs.getString("tags")));
    }
}
