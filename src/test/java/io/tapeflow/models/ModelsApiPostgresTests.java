package io.tapeflow.models;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class ModelsApiPostgresTests extends ModelsApiTests {
}
