package io.tapeflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class ApplicationPostgresTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.postgres(registry);
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void startsOnPostgresql() {
        assertThat(jdbc.sql("select version()").query(String.class).single()).contains("PostgreSQL");
    }
}
