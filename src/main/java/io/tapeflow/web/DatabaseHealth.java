package io.tapeflow.web;

import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Readiness's {@code db}: DOWN unless the database runs a statement. It replaces Spring Boot's indicator of that name,
 * which asks JDBC's {@code isValid()}: after H2 has closed its store (an OutOfMemoryError inside H2 did), its
 * connections still say valid while every statement fails and every API call answers 503, so readiness stayed UP.
 * That closure is for good, until a restart: it is logged once, with what to do.
 */
@Component("dbHealthIndicator")
public class DatabaseHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
    private static final String QUERY = "SELECT 1";

    private final JdbcTemplate jdbc;
    private final String url;
    private final AtomicBoolean closureLogged = new AtomicBoolean();

    DatabaseHealth(JdbcTemplate jdbc, @Value("${spring.datasource.url:}") String url) {
        this.jdbc = jdbc;
        this.url = url;
    }

    @Override
    public Health health() {
        try {
            String product = jdbc.execute((ConnectionCallback<String>) connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(QUERY);
                }
                return connection.getMetaData().getDatabaseProductName();
            });
            return Health.up().withDetail("database", product).withDetail("validationQuery", QUERY).build();
        } catch (DataAccessException e) {
            failed(e);
            return Health.down(e).build();
        }
    }

    /** Called with every database failure seen: says once, clearly, that the embedded database has closed. */
    void failed(Throwable e) {
        if (EmbeddedDatabase.closed(e) && closureLogged.compareAndSet(false, true)) {
            log.error("The embedded database {} has closed itself after an error inside H2 ({}): every API call "
                    + "answers 503 and readiness is DOWN until the service is restarted. Restart it; should it then "
                    + "report the file damaged, restore a backup or move the file aside",
                    EmbeddedDatabase.file(url).map(Object::toString).orElse(url), rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
