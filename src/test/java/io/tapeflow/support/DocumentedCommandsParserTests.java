package io.tapeflow.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.tapeflow.support.DocumentedCommands.Command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Markdown reader, the output matcher and the shell session themselves; running the real documents against the
 * app is {@code web.DocumentedCommandsTests}' job.
 */
class DocumentedCommandsParserTests {

    @TempDir
    Path dir;

    @Test
    void readsBlocksCommandsShownOutputsAndMarkers() throws IOException {
        Path file = dir.resolve("demo.md");
        Files.writeString(file, """
                # Demo

                ```bash
                B=http://localhost:8080/api/v1   # the API
                ID=$(curl -s -XPOST "$B/things" -H 'Content-Type: application/json' \\
                  -d '{"name": "a # not a comment",
                       "size": 2}' | jq -r .id)
                curl -s "$B/things/$ID"
                # {"id":"…","name":"a # not a comment",
                #  "size":2}
                # a remark, not an output
                curl -s -o /dev/null -w '%{http_code}\\n' -X DELETE "$B/things/$ID"   # 204
                ```

                <!-- not run by DocumentedCommandsTests: starts the service; .ci/run runs it -->
                ```bash
                ./mvnw spring-boot:run &
                OPENBLAS_NUM_THREADS=1 python3 src/bench.py | tee target/out.txt
                ```

                - A bullet with its own block:

                  ```bash
                  curl -s localhost:8080/x
                  ```
                  ```
                  HTTP/1.1 200
                  ```
                ```java
                not.bash();
                ```
                """);
        List<DocumentedCommands.Block> blocks = DocumentedCommands.parse(file);
        assertThat(blocks).extracting(DocumentedCommands.Block::label)
                .containsExactly("demo.md:3", "demo.md:16", "demo.md:23");

        List<DocumentedCommands.Command> first = blocks.get(0).commands();
        assertThat(blocks.get(0).marked()).isFalse();
        assertThat(blocks.get(0).programs()).containsExactly("curl", "jq");
        assertThat(first).extracting(DocumentedCommands.Command::line).containsExactly(4, 5, 8, 12);
        assertThat(first.get(0).assignedVariable()).isEqualTo("B");
        assertThat(first.get(0).extractsFromResponse()).isFalse();
        assertThat(first.get(1).assignedVariable()).isEqualTo("ID");
        assertThat(first.get(1).extractsFromResponse()).isTrue();
        assertThat(first.get(1).shown()).isNull();
        assertThat(first.get(2).shown()).isEqualTo("{\"id\":\"…\",\"name\":\"a # not a comment\",\n \"size\":2}");
        assertThat(first.get(3).shown()).isEqualTo("204");

        DocumentedCommands.Block marked = blocks.get(1);
        assertThat(marked.notRunBecause()).isEqualTo("starts the service; .ci/run runs it");
        assertThat(marked.programs()).containsExactly("./mvnw", "python3", "tee");
        assertThat(marked.commands().get(1).assignedVariable()).isNull();
        assertThat(DocumentedCommands.repositoryPaths(marked.text(), dir)).isEmpty();
        Files.createDirectories(dir.resolve("src"));
        assertThat(DocumentedCommands.repositoryPaths(marked.text(), dir)).containsExactly("src/bench.py");

        DocumentedCommands.Block bullet = blocks.get(2);
        assertThat(bullet.text()).isEqualTo("curl -s localhost:8080/x\n");
        assertThat(bullet.commands().get(0).shown()).isEqualTo("HTTP/1.1 200");
    }

    @Test
    void readsProgramsThroughPipesListsAndSubstitutions() {
        assertThat(DocumentedCommands.scan("""
                JOB=$(curl -d '{"id": "'$(echo "$P" | jq -r '.a | .b')'"}' | sed 's/;/x/') && \\
                  A=1 B="$(printf %s "x y")" ./mvnw -q verify 2>&1; (cd /tmp && ls) # echo no
                """).programs()).containsExactly("curl", "echo", "jq", "sed", "printf", "./mvnw", "cd", "ls");
        assertThat(DocumentedCommands.scan("curl a |\n").complete()).isFalse();
        assertThat(DocumentedCommands.scan("curl 'a\n").complete()).isFalse();
        assertThat(DocumentedCommands.scan("curl a \\\n").complete()).isFalse();
        assertThat(DocumentedCommands.scan("java -jar x.jar &   # in the background\n").complete()).isTrue();
    }

    @Test
    void matchesShownOutputsAsFarAsTheyAreMeaningful() {
        String id = "162dac76-bbea-4154-8b54-26c3aa91add0";
        assertThat(ShownOutput.matches("{\"id\":\"" + id + "\", \"loss\":0.11…,\n \"n\":[1, 2]}   (and more)",
                "{\"id\":\"0b3c5cf2-8d0e-4a61-9f5f-7d3bb2a1c001\",\"loss\":0.1143,\"n\":[1,2]}\n")).isTrue();
        assertThat(ShownOutput.matches("{\"loss\":0.12…}", "{\"loss\":0.1143}")).isFalse();
        assertThat(ShownOutput.matches("{\"n\":[1,2]}", "{\"n\":[1,2],\"more\":true}")).isFalse();
        assertThat(ShownOutput.matches("204", "204\n")).isTrue();
        assertThat(ShownOutput.matches("204", "404\n")).isFalse();
        String http = "HTTP/1.1 201 \r\nDate: today\r\nLocation: http://x/" + id + "\r\n\r\n{\"createdAt\":"
                + "\"2026-12-01T10:00:00.5Z\"}";
        assertThat(ShownOutput.matches("HTTP/1.1 201\nLocation: http://x/" + id + "\n\n"
                + "{\"createdAt\":\"2026-11-25T12:36:26.095642Z\"}", http)).isTrue();
        assertThat(ShownOutput.matches("HTTP/1.1 201\nLocation: http://y/" + id + "\n\n{…}", http)).isFalse();
        assertThat(ShownOutput.matches("HTTP/1.1 200\n\n{…}", http)).isFalse();
    }

    @Test
    void aSessionStopsAtAnHttpErrorItDoesNotShowAndAtAValueThatIsNotThere() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().equals("/thing") ? "{\"id\":\"x\"}"
                    : "{\"status\":404}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/thing") ? 200 : 404,
                    body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            assertThat(run("curl -s " + url + "/gone").outputs().get(0)).contains("HTTP 404, which the document does "
                    + "not show");
            assertThat(DocShell.run(List.of(new Command(1, "curl -s " + url + "/gone", "{\"status\":404}")), Map.of())
                    .failed()).isEqualTo(-1);
            assertThat(run("ID=$(curl -s " + url + "/thing | jq -r .name)").outputs().get(0))
                    .contains("the value is not there");
            assertThat(run("ID=$(curl -s " + url + "/thing | jq -r .id)").outputs().get(0))
                    .contains("ID=x is not an id");
            assertThat(run("X=$(echo x)", "echo $X").outputs()).containsEntry(1, "x\n");
        } finally {
            server.stop(0);
        }
        assertThat(run("curl -s http://127.0.0.1:9/").outputs().get(0)).contains("curl failed (exit 7)");
        assertThat(DocShell.syntaxErrors("export X=<hash1>,<hash2>\n")).contains("syntax error");
        assertThat(DocShell.syntaxErrors("echo ok\n")).isEmpty();
    }

    private static DocShell.Result run(String... commands) {
        List<Command> list = new ArrayList<>();
        for (String c : commands) {
            list.add(new Command(list.size() + 1, c, null));
        }
        DocShell.Result result = DocShell.run(list, Map.of());
        assertThat(result.failed()).as(result.transcript()).isIn(-1, 0);
        return result;
    }
}
