package io.tapeflow.models;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class EvaluationsApiPostgresTests extends EvaluationsApiTests {
}
