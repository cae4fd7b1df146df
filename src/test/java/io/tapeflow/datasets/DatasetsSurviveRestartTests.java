package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapeflow.TapeflowApplication;
import io.tapeflow.support.Http;
import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A dataset written by one run of the application is read back, unchanged, by the next run on the same database. */
class DatasetsSurviveRestartTests {

    @Test
    void onAnH2File() {
        survivesRestart(TestDatabases.h2Url(), "sa", "");
    }

    @Test
    void onPostgresql() {
        TestDatabases.Postgres pg = TestDatabases.freshPostgres();
        survivesRestart(pg.url(), pg.username(), pg.password());
    }

    private static void survivesRestart(String url, String username, String password) {
        String id;
        JsonNode dataset;
        JsonNode rows;
        try (ConfigurableApplicationContext app = start(url, username, password)) {
            Http http = http(app);
            Http.Response created = http.postJson("/api/v1/datasets", """
                    {"name": "survivor", "seed": 11, "source": {"type": "rings", "positives": 30, "negatives": 20}}""");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            dataset = created.json();
            id = dataset.get("id").asString();
            rows = http.get("/api/v1/datasets/" + id + "/rows?limit=1000").json();
        }
        try (ConfigurableApplicationContext app = start(url, username, password)) {
            Http http = http(app);
            assertThat(http.get("/api/v1/datasets/" + id).json()).isEqualTo(dataset);
            assertThat(http.get("/api/v1/datasets/" + id + "/rows?limit=1000").json()).isEqualTo(rows);
        }
    }

    private static ConfigurableApplicationContext start(String url, String username, String password) {
        return new SpringApplicationBuilder(TapeflowApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + username,
                "--spring.datasource.password=" + password);
    }

    private static Http http(ConfigurableApplicationContext app) {
        return new Http(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }
}
