package io.tapeflow.web;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class SlowClientsPostgresTests extends SlowClientsTests {
}
