package io.tapeflow.training;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class TabularTrainingPostgresTests extends TabularTrainingTests {
}
