package io.tapeflow.datasets;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class TabularDatasetsPostgresTests extends TabularDatasetsTests {
}
