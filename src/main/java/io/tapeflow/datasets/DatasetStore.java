package io.tapeflow.datasets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The datasets table. Other features use {@link #load} and {@link #exists}; everything else is the datasets API's.
 * Values live in two float32 blocks per dataset, metadata in columns and JSON text.
 */
@Repository
public class DatasetStore {

    private static final String METADATA_COLUMNS =
            "id, name, source_type, source, seed, row_count, feature_names, label_names, statistics, created_at, "
                    + "columns_schema, missing, parent";
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private static final TypeReference<List<ColumnStatistics>> STATISTICS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate tx;

    DatasetStore(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
    }

    /** The dataset's full values, or empty if there is no dataset with this id. */
    public Optional<DatasetData> load(UUID id) {
        return jdbc.sql("SELECT id, name, source_type, row_count, feature_names, label_names, features, labels, "
                        + "columns_schema FROM datasets WHERE id = ?")
                .param(id)
                .query((rs, n) -> {
                    List<String> featureNames = json.readValue(rs.getString("feature_names"), NAMES);
                    List<String> labelNames = json.readValue(rs.getString("label_names"), NAMES);
                    return new DatasetData(rs.getObject("id", UUID.class), rs.getString("name"),
                            rs.getString("source_type"), rs.getInt("row_count"), featureNames, labelNames,
                            Float32Blocks.decode(rs.getBytes("features")), Float32Blocks.decode(rs.getBytes("labels")),
                            columns(rs.getString("columns_schema"), featureNames, labelNames));
                })
                .optional();
    }

    /**
     * Rows {@code [offset, offset + limit)} of a dataset (fewer at the end), reading only those bytes of the blocks.
     * Empty if there is no dataset with this id.
     */
    Optional<DatasetRows> window(UUID id, int offset, int limit) {
        Optional<int[]> shape = jdbc.sql("SELECT row_count, feature_names, label_names FROM datasets WHERE id = ?")
                .param(id)
                .query((rs, n) -> new int[] {rs.getInt("row_count"),
                        json.readValue(rs.getString("feature_names"), NAMES).size(),
                        json.readValue(rs.getString("label_names"), NAMES).size()})
                .optional();
        return shape.map(s -> {
            int total = s[0];
            int k = s[1];
            int m = s[2];
            int count = (int) Math.max(0, Math.min((long) total - offset, limit));
            List<DatasetRows.Row> rows = new ArrayList<>(count);
            if (count > 0) {
                float[][] blocks = jdbc.sql("SELECT SUBSTRING(features FROM ? FOR ?) AS f, "
                                + "SUBSTRING(labels FROM ? FOR ?) AS l FROM datasets WHERE id = ?")
                        .params(offset * k * Float.BYTES + 1, count * k * Float.BYTES,
                                offset * m * Float.BYTES + 1, count * m * Float.BYTES, id)
                        .query((rs, n) -> new float[][] {Float32Blocks.decode(rs.getBytes("f")),
                                Float32Blocks.decode(rs.getBytes("l"))})
                        .single();
                for (int i = 0; i < count; i++) {
                    rows.add(new DatasetRows.Row(offset + i,
                            Arrays.copyOfRange(blocks[0], i * k, (i + 1) * k),
                            Arrays.copyOfRange(blocks[1], i * m, (i + 1) * m)));
                }
            }
            return new DatasetRows(offset, limit, total, rows);
        });
    }

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM datasets WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    void insert(DatasetResponse metadata, DatasetValues values) {
        jdbc.sql("INSERT INTO datasets (id, name, source_type, source, seed, row_count, feature_names, label_names, "
                        + "statistics, features, labels, created_at, columns_schema, missing, parent) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(metadata.id(), metadata.name(), metadata.source().get("type"),
                        json.writeValueAsString(metadata.source()), metadata.seed(), metadata.rows(),
                        json.writeValueAsString(metadata.featureNames()),
                        json.writeValueAsString(metadata.labelNames()),
                        json.writeValueAsString(metadata.statistics()),
                        Float32Blocks.encode(values.features()), Float32Blocks.encode(values.labels()),
                        OffsetDateTime.ofInstant(metadata.createdAt(), ZoneOffset.UTC),
                        json.writeValueAsString(metadata.columns()), metadata.missing(),
                        metadata.parent() == null ? null : json.writeValueAsString(metadata.parent()))
                .update();
    }

    /** Inserts several datasets (a split's parts) in one transaction: all of them or none. */
    void insertAll(List<DatasetResponse> metadata, List<DatasetValues> values) {
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < metadata.size(); i++) {
                insert(metadata.get(i), values.get(i));
            }
        });
    }

    Optional<DatasetResponse> find(UUID id) {
        return jdbc.sql("SELECT " + METADATA_COLUMNS + " FROM datasets WHERE id = ?")
                .param(id)
                .query((rs, n) -> metadata(rs))
                .optional();
    }

    List<DatasetResponse> page(int page, int size) {
        return jdbc.sql("SELECT " + METADATA_COLUMNS + " FROM datasets ORDER BY created_at DESC, id DESC "
                        + "LIMIT ? OFFSET ?")
                .params(size, (long) page * size)
                .query((rs, n) -> metadata(rs))
                .list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM datasets").query(Long.class).single();
    }

    /**
     * Deletes the dataset unless a queued or running training job needs it, in one statement so no check-then-act
     * race lets such a job lose its data; finished jobs and models only keep its id as history.
     *
     * @return false when there is no such dataset or a job needs it (the caller tells which)
     */
    boolean delete(UUID id) {
        return jdbc.sql("""
                DELETE FROM datasets WHERE id = ? AND NOT EXISTS (SELECT 1 FROM training_jobs
                    WHERE dataset_id = ? AND state IN ('QUEUED', 'RUNNING'))""").params(id, id).update() > 0;
    }

    private DatasetResponse metadata(ResultSet rs) throws SQLException {
        Long seed = rs.getObject("seed") == null ? null : rs.getLong("seed");
        Instant createdAt = rs.getObject("created_at", OffsetDateTime.class).toInstant();
        List<String> featureNames = json.readValue(rs.getString("feature_names"), NAMES);
        List<String> labelNames = json.readValue(rs.getString("label_names"), NAMES);
        List<Column> columns = columns(rs.getString("columns_schema"), featureNames, labelNames);
        String parent = rs.getString("parent");
        return new DatasetResponse(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getInt("row_count"), featureNames, labelNames, columns, DatasetData.classNames(columns),
                rs.getString("missing"),
                json.readValue(rs.getString("source"), OBJECT),
                seed,
                parent == null ? null : json.readValue(parent, SplitParent.class),
                json.readValue(rs.getString("statistics"), STATISTICS),
                createdAt);
    }

    /** The stored schema; datasets from before V6 have none and are all-numeric. */
    private List<Column> columns(String schema, List<String> featureNames, List<String> labelNames) {
        return schema == null ? DatasetValues.numericColumns(featureNames, labelNames)
                : json.readValue(schema, COLUMNS);
    }
}
