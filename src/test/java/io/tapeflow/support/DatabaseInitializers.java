package io.tapeflow.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test context at PostgreSQL or at a fresh H2 file. Being classes (not per-test-class
 * {@code @DynamicPropertySource} methods) they let every test class that uses {@link PostgresWebTest} or
 * {@link H2WebTest} share one cached context per database.
 */
public final class DatabaseInitializers {

    private DatabaseInitializers() {
    }

    public static final class Postgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestDatabases.Postgres pg = TestDatabases.postgres();
            TestPropertyValues.of(
                    "spring.datasource.url=" + pg.url(),
                    "spring.datasource.username=" + pg.username(),
                    "spring.datasource.password=" + pg.password()).applyTo(context);
        }
    }

    public static final class H2 implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of(
                    "spring.datasource.url=" + TestDatabases.h2Url(),
                    "spring.datasource.username=sa",
                    "spring.datasource.password=").applyTo(context);
        }
    }
}
