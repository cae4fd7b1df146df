package io.tapeflow.training;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/** The two databases the queue runs on. Only claiming differs: PostgreSQL has {@code SKIP LOCKED} across processes. */
enum Dialect {
    POSTGRESQL, H2;

    static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("Training jobs need PostgreSQL or H2, not " + product);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database the job queue runs on", e);
        }
    }
}
