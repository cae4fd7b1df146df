package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import javax.sql.DataSource;

import io.tapeflow.TapeflowApplication;
import io.tapeflow.support.Http;
import io.tapeflow.support.TestDatabases;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue #14: after an OutOfMemoryError inside H2 its store closed, every API call answered 503 and readiness still
 * said UP (H2's connections go on saying they are valid). Here the store of a running service is closed underneath
 * it, as H2 does after such an error: readiness goes DOWN, API calls are 503s, and one log line says what happened
 * and what to do. Its own context (and H2 file), since the database does not come back.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClosedDatabaseH2Tests {

    @Test
    void readinessIsDownWhileTheEmbeddedDatabaseIsClosed(CapturedOutput output) throws Exception {
        String url = TestDatabases.h2Url();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TapeflowApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + url, "--tapeflow.training.workers=1")) {
            Http http = new Http(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(http.postJson("/api/v1/datasets", """
                    {"name": "before", "source": {"type": "linear", "samples": 5}}""").status()).isEqualTo(201);

            closeStore(app.getBean(DataSource.class));

            Http.Response list = http.get("/api/v1/datasets");
            assertThat(list.status()).as(list.toString()).isEqualTo(503);
            assertThat(list.contentType()).startsWith("application/problem+json");
            assertThat(list.header("Retry-After")).isNotBlank();
            Http.Response readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
            JsonNode body = readiness.json();
            assertThat(body.get("status").asString()).isEqualTo("DOWN");
            assertThat(body.get("components").get("db").get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/readiness").status()).as("and stays so").isEqualTo(503);

            String file = EmbeddedDatabase.file(url).orElseThrow().toString();
            String line = "The embedded database " + file + " has closed itself";
            assertThat(output.getOut()).contains(line, "every API call answers 503 and readiness is DOWN until the "
                    + "service is restarted", "The database has been closed");
            assertThat(output.getOut().split(java.util.regex.Pattern.quote(line), -1)).as("logged once").hasSize(2);
        }
    }

    /**
     * What H2 does when its store fails (MVStore's panic): the store closes at once, the database object and its
     * sessions stay, and every statement fails with "The database has been closed".
     */
    private static void closeStore(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            session.getDatabase().getStore().getMvStore().closeImmediately();
        }
    }
}
