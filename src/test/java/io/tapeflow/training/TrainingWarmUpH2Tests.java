package io.tapeflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.tapeflow.support.DatabaseInitializers;
import io.tapeflow.support.WebTestProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The start-up warm-up in a running service: it runs the request path against the reference dataset, whole jobs
 * in transactions it rolls back, and predictions over HTTP against a model it never stores (left out of the
 * metrics), keeps nothing, and ends when this service's first job is claimed (other contexts of the suite do not
 * end it), long before its budget. Only one context per JVM runs a warm-up (the JIT it warms is the JVM's), so this
 * class has no PostgreSQL twin (JobQueueTests rehearses a job on both databases), and "keeps nothing" is checked
 * here with H2's own rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {WebTestProperties.LIMITS,
        WebTestProperties.TRAINING, TrainingWarmUp.BUDGET + "=10m"})
@ContextConfiguration(initializers = DatabaseInitializers.H2.class)
class TrainingWarmUpH2Tests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void runsTheRequestPathRehearsalsAndPredictionsKeepsNothingAndEndsAtTheFirstJob() {
        TrainingWarmUp warmUp = TrainingWarmUp.started();
        assertThat(warmUp).as("this context started the JVM's warm-up").isNotNull();
        awaitTrue(() -> warmUp.requestRounds() == TrainingWarmUp.REQUEST_ROUNDS, "the request path ran its rounds");
        awaitTrue(() -> warmUp.rehearsals() >= 2, "both examples' jobs were rehearsed");
        awaitTrue(() -> warmUp.predictions() >= 500, "predictions were answered");
        TrainingApi api = new TrainingApi(port);
        String metrics = api.http.get("/actuator/prometheus").body();
        assertThat(metrics).as("the warm-up's requests are left out").doesNotContain("predictions");
        assertThat(securityFilterCounts(metrics)).as("and out of Spring Security's per-filter counters")
                .isNotEmpty().allSatisfy(count -> assertThat(count).isLessThan(100));
        assertThat(warmUp.ended()).as("the warm-up goes on until a job comes or the budget ends").isFalse();
        assertThat(count("training_jobs") + count("training_job_metrics") + count("models")
                + count("model_evaluations")).as("nothing kept").isZero();

        String job = api.submit(TrainingApi.LINEAR_JOB.formatted(api.linearDataset(), 5, 1));
        String model = api.awaitSucceeded(job).get("modelId").asString();

        awaitTrue(warmUp::ended, "the warm-up ended at the first job, not after its ten minutes");
        assertThat(count("training_jobs")).isEqualTo(1);
        assertThat(api.http.postJson("/api/v1/models/" + model + "/predictions", "{\"instances\": [[1.0, 2.0]]}")
                .status()).isEqualTo(200);
        awaitTrue(() -> api.http.get("/actuator/prometheus").body().contains("uri=\"/api/v1/models/{id}/predictions\""),
                "a user's predictions are counted");
    }

    @AfterEach
    void endTheWarmUp() {
        TrainingWarmUp warmUp = TrainingWarmUp.started();
        if (warmUp != null) {
            warmUp.serviceStarted(null); // a failed assertion must not leave ten minutes of load on the suite's JVM
        }
    }

    /** The values of Spring Security's {@code spring_security_filterchains_*_total} counters. */
    private static List<Double> securityFilterCounts(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("spring_security_filterchains_"))
                .filter(line -> line.contains("_total{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).toList();
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            TrainingApi.sleep(20);
        }
    }
}
