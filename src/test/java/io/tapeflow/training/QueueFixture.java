package io.tapeflow.training;

import java.time.Duration;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tapeflow.models.EvaluationRepository;
import io.tapeflow.models.ModelRepository;
import io.tapeflow.models.StoredModel;
import io.tapeflow.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job queue on a real database without a Spring context: a pooled DataSource on a fresh PostgreSQL schema or H2
 * file, migrated by Flyway, and the repositories over it. Several fixtures on one database stand for replicas.
 */
final class QueueFixture implements AutoCloseable {

    static final UUID DATASET = UUID.fromString("00000000-0000-0000-0000-00000000da7a");

    final HikariDataSource dataSource;
    final JdbcClient jdbc;
    final ModelRepository models;
    final TrainingJobRepository jobs;

    private QueueFixture(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(12);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration",
                "classpath:db/vendor/" + (url.startsWith("jdbc:h2:") ? "h2" : "postgresql")).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        models = new ModelRepository(jdbc);
        jobs = new TrainingJobRepository(jdbc, new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                JsonMapper.builder().build(), models,
                new EvaluationRepository(jdbc, JsonMapper.builder().build()), Dialect.of(dataSource));
    }

    static QueueFixture postgres() {
        TestDatabases.Postgres pg = TestDatabases.freshPostgres();
        return new QueueFixture(pg.url(), pg.username(), pg.password());
    }

    static QueueFixture h2() {
        return new QueueFixture(TestDatabases.h2Url(), "sa", "");
    }

    /** Another replica on the same database. */
    QueueFixture sameDatabase() {
        return new QueueFixture(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    }

    UUID queue() {
        NewJob job = newJob();
        jobs.insert(job);
        return job.id();
    }

    /** A job of three epochs of ten steps on {@link #DATASET}, not yet inserted. */
    static NewJob newJob() {
        return new NewJob(UUID.randomUUID(), DATASET, "{}", 3, 60, 3, 30, null, null, null, null, null);
    }

    /** Moves the job's lease into the past, as if its worker had stopped renewing it long ago. */
    void expireLease(UUID id) {
        jdbc.sql("UPDATE training_jobs SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' HOUR WHERE id = ?")
                .param(id).update();
    }

    /** Makes a job that waits out a backoff due now. */
    void dueNow(UUID id) {
        jdbc.sql("UPDATE training_jobs SET run_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE id = ?")
                .param(id).update();
    }

    JobRow row(UUID id) {
        return jobs.find(id).orElseThrow();
    }

    static StoredModel model(UUID jobId) {
        return new StoredModel(UUID.randomUUID(), jobId, DATASET, "regressor", "TRAINED", null, "{}");
    }

    static TrainingProperties settings(int workers, Duration lease) {
        return new TrainingProperties(workers, lease, 3, Duration.ofMillis(50), Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(10),
                new TrainingProperties.Limits(10_000, 65_536, 16, 4096, 100, 3600, 2_000_000_000_000L, 1L << 30, 64L << 20, 3600,
                        500_000_000L));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
