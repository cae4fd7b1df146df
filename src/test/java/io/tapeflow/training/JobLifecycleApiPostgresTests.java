package io.tapeflow.training;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class JobLifecycleApiPostgresTests extends JobLifecycleApiTests {
}
