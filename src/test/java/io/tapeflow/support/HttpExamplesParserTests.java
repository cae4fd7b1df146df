package io.tapeflow.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .http reader itself; running the real files against the app is {@code web.HttpExamplesTests}' job. */
class HttpExamplesParserTests {

    @TempDir
    Path dir;

    @Test
    void readsVariablesNamesExpectationsHeadersAndBodies() throws IOException {
        Path file = dir.resolve("demo.http");
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        Files.writeString(file, """
                # a comment
                @baseUrl = http://localhost:8080
                @api = {{baseUrl}}/api/v1

                ### Create something
                # @name create
                POST {{api}}/things HTTP/1.1
                Content-Type: application/json
                X-Trace: 1

                {"name": "x"}

                ### Read it back
                // @expect 404
                GET {{api}}/things/{{create.response.body.$.id}}

                ### Upload
                POST {{api}}/files
                Content-Type: text/csv

                < ./data.csv
                """);
        HttpExamples.HttpFile parsed = HttpExamples.parse(file);
        assertThat(parsed.variables()).containsEntry("api", "{{baseUrl}}/api/v1");
        assertThat(parsed.requests()).hasSize(3);

        HttpExamples.Request create = parsed.requests().get(0);
        assertThat(create.title()).isEqualTo("Create something");
        assertThat(create.name()).isEqualTo("create");
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.url()).isEqualTo("{{api}}/things");
        assertThat(create.headers()).containsEntry("Content-Type", "application/json").containsEntry("X-Trace", "1");
        assertThat(create.body()).isEqualTo("{\"name\": \"x\"}\n");
        assertThat(create.accepts(201)).isTrue();
        assertThat(create.accepts(404)).isFalse();

        HttpExamples.Request read = parsed.requests().get(1);
        assertThat(read.expectedStatus()).isEqualTo(404);
        assertThat(read.accepts(404)).isTrue();
        assertThat(read.accepts(200)).isFalse();
        assertThat(read.body()).isNull();

        HttpExamples.Request upload = parsed.requests().get(2);
        assertThat(upload.bodyFile()).isEqualTo(dir.resolve("./data.csv"));
    }
}
