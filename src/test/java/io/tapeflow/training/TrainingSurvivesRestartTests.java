package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Jobs, metrics and models outlive the application; a job running when it stops goes back to the queue with its
 * checkpoint, is picked up by the next start, ends {@code SUCCEEDED}, and its parameters are bit-identical to an
 * uninterrupted run of the same request.
 */
class TrainingSurvivesRestartTests {

    static final int EPOCHS = 1500;

    @Test
    void onAnH2File() throws Exception {
        survivesRestart(TestDatabases.h2Url(), "sa", "");
    }

    @Test
    void onPostgresql() throws Exception {
        TestDatabases.Postgres pg = TestDatabases.freshPostgres();
        survivesRestart(pg.url(), pg.username(), pg.password());
    }

    private static void survivesRestart(String url, String user, String password) throws Exception {
        String[] settings = {"--tapeflow.training.checkpoint-interval=100ms"};
        String finished;
        JsonNode finishedJob;
        JsonNode finishedMetrics;
        JsonNode finishedModel;
        String interrupted;
        String request;
        try (Replica first = Replica.start(url, user, password, settings)) {
            TrainingApi api = first.api;
            finished = api.submit(TrainingApi.LINEAR_JOB.formatted(api.linearDataset(), 3, 1));
            finishedJob = api.awaitSucceeded(finished);
            finishedMetrics = api.metrics(finished);
            finishedModel = api.model(finishedJob.get("modelId").asString());

            // Eager, 4 000 rows and 1 500 epochs (about 2 s on a quiet machine): a shorter job can end between the
            // progress poll and the replica's stop, and then there is nothing left to release.
            request = TrainingApi.RINGS_JOB.formatted(api.ringsDataset(21, 4000), "sgd", "0.01", EPOCHS, 5)
                    .replace("\"execution\": \"graph\"", "\"execution\": \"eager\"");
            interrupted = api.submit(request);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (api.job(interrupted).get("progress").get("epoch").asInt() < 5) {
                assertThat(System.nanoTime()).as("job got going").isLessThan(deadline);
                TrainingApi.sleep(20);
            }
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement s = c.prepareStatement(
                        "SELECT state, attempts, checkpoint_epoch, lease_token FROM training_jobs WHERE id = ?")) {
            s.setObject(1, UUID.fromString(interrupted));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("state")).as("released by the graceful shutdown").isEqualTo("QUEUED");
                assertThat(rs.getInt("attempts")).isZero();
                assertThat(rs.getInt("checkpoint_epoch")).isBetween(5, EPOCHS - 1);
                assertThat(rs.getObject("lease_token")).isNull();
            }
        }
        try (Replica second = Replica.start(url, user, password, settings)) {
            TrainingApi api = second.api;
            assertThat(api.job(finished)).isEqualTo(finishedJob);
            assertThat(api.metrics(finished)).isEqualTo(finishedMetrics);
            assertThat(api.model(finishedJob.get("modelId").asString())).isEqualTo(finishedModel);

            JsonNode resumed = api.awaitSucceeded(interrupted);
            assertThat(resumed.get("state").asString()).as(resumed.toString()).isEqualTo("SUCCEEDED");
            assertThat(resumed.get("attempts").asInt()).isOne();
            JsonNode epochs = api.metrics(interrupted).get("epochs");
            assertThat(epochs.size()).isEqualTo(EPOCHS);
            for (int i = 0; i < EPOCHS; i++) {
                assertThat(epochs.get(i).get("epoch").asInt()).isEqualTo(i + 1);
            }
            JsonNode uninterrupted = api.awaitSucceeded(api.submit(request));
            assertThat(api.model(resumed.get("modelId").asString()).get("parameters"))
                    .isEqualTo(api.model(uninterrupted.get("modelId").asString()).get("parameters"));
            assertThat(api.metrics(interrupted).get("epochs").get(EPOCHS - 1).get("metrics"))
                    .isEqualTo(api.metrics(uninterrupted.get("id").asString()).get("epochs").get(EPOCHS - 1)
                            .get("metrics"));
        }
    }
}
