package io.tapeflow.datasets;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stand-in for the service branch's DatasetStore (same public API) until it is merged; replaced on merge. */
@Repository
public class DatasetStore {

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DatasetStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<DatasetData> load(UUID id) {
        return jdbc.sql("SELECT id, name, source_type, row_count, feature_names, label_names, features, labels "
                        + "FROM datasets WHERE id = ?")
                .param(id)
                .query((rs, n) -> new DatasetData(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("source_type"), rs.getInt("row_count"),
                        json.readValue(rs.getString("feature_names"), NAMES),
                        json.readValue(rs.getString("label_names"), NAMES),
                        Float32Blocks.decode(rs.getBytes("features")), Float32Blocks.decode(rs.getBytes("labels"))))
                .optional();
    }

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM datasets WHERE id = ?").param(id).query(Long.class).single() > 0;
    }
}
