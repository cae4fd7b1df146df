package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tapeflow.support.Http;
import io.tapeflow.support.HttpExamples;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Runs every request of every {@code http-examples/*.http} file against the running application, in file order, so
 * the examples never rot. A new file is picked up without touching this class.
 */
abstract class HttpExamplesTests {

    static final Path EXAMPLES = Path.of("http-examples");

    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicContainer> everyExampleAnswersAsDocumented() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.filter(p -> p.toString().endsWith(".http")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Http http = new Http(port);
        return files.stream().map(path -> {
            HttpExamples.HttpFile file = HttpExamples.parse(path);
            HttpExamples.Session session = new HttpExamples.Session(file, Map.of("baseUrl", http.baseUrl()), http);
            Stream<DynamicTest> requests = file.requests().stream().map(request -> dynamicTest(request.label(), () -> {
                Http.Response response = session.run(request);
                assertThat(request.accepts(response.status()))
                        .as("%s answered %s", request.label(), response).isTrue();
                if (!response.body().isEmpty() && response.status() >= 400) {
                    assertThat(response.contentType()).startsWith("application/problem+json");
                }
            }));
            return dynamicContainer(path.getFileName().toString(), requests);
        });
    }
}
