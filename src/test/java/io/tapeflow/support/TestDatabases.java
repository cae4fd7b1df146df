package io.tapeflow.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where the integration tests find their databases. PostgreSQL comes from Testcontainers where a Docker engine
 * exists, and otherwise from the local server on 127.0.0.1:5432 (database {@code test}) in a fresh schema per test
 * JVM, dropped at exit: the same tests run either way, none are skipped. H2 gets a fresh file database per call.
 */
public final class TestDatabases {

    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String LOCAL_USER = "postgres";

    private static Postgres postgres;

    private TestDatabases() {
    }

    /** A running PostgreSQL for this test JVM: URL, user and password. */
    public record Postgres(String url, String username, String password) {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = dockerAvailable() ? startContainer() : freshLocalSchema();
        }
        return postgres;
    }

    /** A new, empty PostgreSQL schema on the same server, for tests that need a database of their own. */
    public static Postgres freshPostgres() {
        Postgres shared = postgres();
        String schema = newSchemaName();
        try (Connection c = DriverManager.getConnection(shared.url(), shared.username(), shared.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create schema " + schema + " on " + shared.url(), e);
        }
        dropAtExit(shared, schema);
        return new Postgres(withSchema(shared.url(), schema), shared.username(), shared.password());
    }

    public static void postgres(DynamicPropertyRegistry registry) {
        Postgres pg = postgres();
        registry.add("spring.datasource.url", pg::url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
    }

    /** A fresh H2 file database under target/, in the same mode as the application's default. */
    public static String h2Url() {
        Path dir = Path.of("target", "h2", UUID.randomUUID().toString()).toAbsolutePath();
        return "jdbc:h2:file:" + dir.resolve("tapeflow")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    public static void h2(DynamicPropertyRegistry registry) {
        String url = h2Url();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    private static Postgres startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static Postgres freshLocalSchema() {
        String schema = newSchemaName();
        Postgres server = new Postgres(LOCAL_URL, LOCAL_USER, "");
        try (Connection c = DriverManager.getConnection(LOCAL_URL, LOCAL_USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("""
                    No Docker engine, and the local PostgreSQL at %s is not reachable as user %s. \
                    Start it (see .ci/run) and run the tests again.""".formatted(LOCAL_URL, LOCAL_USER), e);
        }
        dropAtExit(server, schema);
        return new Postgres(withSchema(LOCAL_URL, schema), LOCAL_USER, "");
    }

    private static String newSchemaName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void dropAtExit(Postgres server, String schema) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(server.url(), server.username(), server.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException ignored) {
                // best effort: a leftover schema costs nothing but space
            }
        }));
    }
}
