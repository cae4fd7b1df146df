package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two replicas, two workers each, sharing one PostgreSQL: forty jobs, each run exactly once, one model each. */
class TwoReplicasTests {

    private static final Pattern STEPS = Pattern.compile("tapeflow_training_steps_total\\S* ([0-9.E]+)");

    @Test
    void fortyJobsOnTwoReplicasSharingOneDatabaseEachRunExactlyOnce() {
        TestDatabases.Postgres pg = TestDatabases.freshPostgres();
        try (Replica a = Replica.start(pg.url(), pg.username(), pg.password());
                Replica b = Replica.start(pg.url(), pg.username(), pg.password())) {
            String dataset = a.api.ringsDataset(31, 200);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                TrainingApi api = i % 2 == 0 ? a.api : b.api;
                ids.add(api.submit(TrainingApi.RINGS_JOB.formatted(dataset, "adam", "0.01", 10, i)));
            }
            Set<String> models = new HashSet<>();
            for (String id : ids) {
                JsonNode job = a.api.awaitSucceeded(id);
                assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
                assertThat(job.get("attempts").asInt()).isOne();
                models.add(job.get("modelId").asString());
            }
            assertThat(models).hasSize(40);
            JsonNode page = a.api.http.get(TrainingApi.MODELS + "?size=100").json();
            assertThat(page.get("total").asLong()).isEqualTo(40);
            assertThat(stepsTrained(a)).as("replica a trained").isPositive();
            assertThat(stepsTrained(b)).as("replica b trained").isPositive();
            assertThat(stepsTrained(a) + stepsTrained(b)).as("each job's 10 × 4 steps, once")
                    .isEqualTo(40 * 10 * 4);
        }
    }

    private static double stepsTrained(Replica replica) {
        Matcher m = STEPS.matcher(replica.api.http.get("/actuator/prometheus").body());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
