package io.tapeflow.training;

import javax.sql.DataSource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tapeflow.datasets.DatasetStore;
import io.tapeflow.models.EvaluationRepository;

import io.tapeflow.models.ModelRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the job queue, the worker pool and their metrics and health. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrainingProperties.class)
class TrainingConfiguration {

    @Bean
    TrainingJobRepository trainingJobRepository(JdbcClient jdbc, JdbcTemplate batch,
            PlatformTransactionManager transactions, JsonMapper json, ModelRepository models,
            EvaluationRepository evaluations, DataSource dataSource) {
        return new TrainingJobRepository(jdbc, batch, new TransactionTemplate(transactions), json, models,
                evaluations, Dialect.of(dataSource));
    }

    @Bean
    TrainingWorkerPool trainingWorkerPool(TrainingJobRepository jobs, DatasetStore datasets, JsonMapper json,
            TrainingProperties settings, ModelRepository models, ObjectProvider<TrainingWarmUp> warmUp) {
        TrainingWarmUp running = warmUp.getIfAvailable(); // registered by its Starter when it runs for this context
        return new TrainingWorkerPool(jobs, new TrainingJobRunner(datasets, json,
                new InitialModels(models, jobs, json)), settings, running == null ? () -> { } : running::jobClaimed);
    }

    @Bean
    TrainingJobService trainingJobService(TrainingJobRepository jobs, DatasetStore datasets,
            TrainingWorkerPool pool, TrainingProperties settings, JsonMapper json, ModelRepository models) {
        return new TrainingJobService(jobs, datasets, pool, settings, json, new InitialModels(models, jobs, json));
    }

    @Bean
    JobEvents jobEvents(TrainingJobService service, TrainingProperties settings) {
        return new JobEvents(service, settings);
    }

    @Bean
    LongPolls longPolls(TrainingJobService service, TrainingWorkerPool pool) {
        return new LongPolls(service, pool);
    }

    /** Ready while this replica's workers are claiming jobs; a stopped or broken pool takes it out of rotation. */
    @Bean
    HealthIndicator trainingWorkersHealthIndicator(TrainingWorkerPool pool) {
        return () -> (pool.healthy() ? Health.up() : Health.outOfService())
                .withDetail("workers", pool.size())
                .withDetail("busy", pool.busyWorkers())
                .build();
    }

    @Bean
    MeterBinder trainingMetrics(TrainingWorkerPool pool, TrainingJobRepository jobs) {
        return registry -> {
            JobCounts counts = new JobCounts(jobs);
            for (JobState state : JobState.values()) {
                Gauge.builder("tapeflow.training.jobs", counts, c -> c.count(state))
                        .description("Training jobs in the database by state").tag("state", state.name())
                        .strongReference(true).register(registry);
            }
            Gauge.builder("tapeflow.training.queue.depth", counts, JobCounts::queueDepth)
                    .description("Queued jobs that are due and not yet claimed").strongReference(true)
                    .register(registry);
            FunctionCounter.builder("tapeflow.training.steps", pool, TrainingWorkerPool::stepsDone)
                    .description("Mini-batches trained on this replica").register(registry);
            Gauge.builder("tapeflow.training.steps.per.second", pool, TrainingWorkerPool::stepsPerSecond)
                    .description("Recent training speed of the jobs running on this replica").register(registry);
            Gauge.builder("tapeflow.training.workers.busy", pool, TrainingWorkerPool::busyWorkers)
                    .description("Workers of this replica running a job").register(registry);
            Gauge.builder("tapeflow.training.workers", pool, TrainingWorkerPool::size)
                    .description("Worker threads of this replica").register(registry);
        };
    }
}
