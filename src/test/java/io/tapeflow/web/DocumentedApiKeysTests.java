package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.tapeflow.support.DocShell;
import io.tapeflow.support.DocumentedCommands;
import io.tapeflow.support.DocumentedCommands.Block;
import io.tapeflow.support.DocumentedCommands.Command;
import io.tapeflow.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * The README's API keys, done the README's way: its block that makes a key ({@code KEY=…}) runs before the
 * application starts, the application is configured with the hash that block prints, and the README's blocks that
 * send {@code $KEY} must then be let in, and refused with another key.
 */
@ContextConfiguration(initializers = DocumentedApiKeysTests.KeyFromReadme.class)
abstract class DocumentedApiKeysTests {

    static final Path README = DocumentedCommandsTests.ROOT.resolve("README.md");

    @LocalServerPort
    int port;

    @Value("${docs.api-key}")
    String key;

    @Test
    void theReadmesKeyLetsTheReadmesRequestsIn() {
        String host = new Http(port).baseUrl().replaceFirst("^http://", "");
        List<Command> sends = commands(b -> b.text().contains("$KEY") && !assignsKey(b)).stream()
                .map(c -> c.withText(c.text().replace("localhost:8080", host), c.shown())).toList();
        assertThat(sends).as("README blocks that send $KEY").isNotEmpty();

        DocShell.Result in = DocShell.run(sends, Map.of("KEY", key));
        assertThat(in.failed()).as(in.transcript()).isEqualTo(-1);
        DocShell.Result refused = DocShell.run(sends, Map.of("KEY", key + "0"));
        assertThat(refused.outputs().get(0)).as(refused.transcript()).contains("HTTP 401");
    }

    static boolean assignsKey(Block block) {
        return block.commands().stream().anyMatch(c -> "KEY".equals(c.assignedVariable()));
    }

    static List<Command> commands(Predicate<Block> which) {
        List<Command> commands = new ArrayList<>();
        DocumentedCommands.parse(README).stream().filter(b -> !b.marked() && which.test(b))
                .forEach(b -> commands.addAll(b.commands()));
        return commands;
    }

    /** Runs the README's key block, then sets the hash it printed (its last command's output) and the key. */
    static final class KeyFromReadme implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            List<Command> block = new ArrayList<>(commands(DocumentedApiKeysTests::assignsKey));
            block.add(new Command(0, "printf %s \"$KEY\"", null));
            DocShell.Result result = DocShell.run(block, Map.of());
            assertThat(result.failed()).as(result.transcript()).isEqualTo(-1);
            String hash = result.outputs().get(block.size() - 2).strip();
            assertThat(hash).as("the hash the README's key block prints").matches("[0-9a-f]{64}");
            TestPropertyValues.of("tapeflow.security.api-key-hashes=" + hash,
                    "docs.api-key=" + result.outputs().get(block.size() - 1)).applyTo(context);
        }
    }
}
