package io.tapeflow.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/** The whole application on a random port over PostgreSQL; every class using it shares one context. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {WebTestProperties.LIMITS,
        WebTestProperties.UPLOADS, WebTestProperties.TRAINING})
@ContextConfiguration(initializers = DatabaseInitializers.Postgres.class)
public @interface PostgresWebTest {
}
