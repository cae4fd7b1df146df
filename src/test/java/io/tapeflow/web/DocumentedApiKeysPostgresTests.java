package io.tapeflow.web;

import io.tapeflow.support.PostgresWebTest;

@PostgresWebTest
class DocumentedApiKeysPostgresTests extends DocumentedApiKeysTests {
}
