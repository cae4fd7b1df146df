package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.tapeflow.support.DocShell;
import io.tapeflow.support.DocumentedCommands;
import io.tapeflow.support.DocumentedCommands.Block;
import io.tapeflow.support.DocumentedCommands.Command;
import io.tapeflow.support.Http;
import io.tapeflow.support.ShownOutput;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Runs every {@code ```bash} block of README.md and docs/*.md against the running application, as a reader pastes
 * them: the blocks of one file in order in one shell session ({@code localhost:8080} being the test's server), and
 * then all of them once more ("every line can be pasted again"). A command's output must be what the document
 * shows for it (see {@link ShownOutput}). A block that cannot run here (it builds, starts or benchmarks the service)
 * carries {@code <!-- not run by DocumentedCommandsTests: why, and what runs it instead -->} on the line before it;
 * such a block must still parse ({@code bash -n}) and name only repository paths that exist.
 */
abstract class DocumentedCommandsTests {

    static final Path ROOT = Path.of("").toAbsolutePath();

    /** The programs a block may start to be run: the service's API through curl and what the documents pipe it to. */
    static final Set<String> RUNNABLE = Set.of("curl", "jq", "sed", "printf", "echo", "openssl", "sha256sum", "cut");

    /** One command of a file's session: which block it is from, and in which pass. */
    record Step(Block block, Command command, int pass) {

        String label() {
            return block.file() + ":" + command.line() + " (pass " + pass + ")";
        }
    }

    @LocalServerPort
    int port;

    private final Map<Path, DocShell.Result> sessions = new HashMap<>();

    @TestFactory
    Stream<DynamicContainer> everyDocumentedCommandRunsAsShown() {
        String host = new Http(port).baseUrl().replaceFirst("^http://", "");
        return DocumentedCommands.files(ROOT).stream().map(file -> {
            List<Block> blocks = DocumentedCommands.parse(file);
            List<Step> session = session(blocks, host);
            return dynamicContainer(file.getFileName().toString(), blocks.stream().map(block -> dynamicTest(
                    block.label(), () -> {
                        if (block.marked()) {
                            checkMarked(block);
                        } else {
                            checkRun(block, session, sessions.computeIfAbsent(file, f -> DocShell.run(
                                    session.stream().map(Step::command).toList(), Map.of())));
                        }
                    })));
        });
    }

    /** The runnable blocks' commands in document order, twice, pointed at the test's server. */
    static List<Step> session(List<Block> blocks, String host) {
        List<Step> steps = new ArrayList<>();
        for (int pass = 1; pass <= 2; pass++) {
            for (Block block : blocks) {
                if (!block.marked() && RUNNABLE.containsAll(block.programs())) {
                    for (Command c : block.commands()) {
                        steps.add(new Step(block, c.withText(c.text().replace("localhost:8080", host),
                                c.shown() == null ? null : c.shown().replace("localhost:8080", host)), pass));
                    }
                }
            }
        }
        return steps;
    }

    static void checkRun(Block block, List<Step> session, DocShell.Result result) {
        assertThat(RUNNABLE).as("%s starts %s, which no test can run here: mark it with <!-- %s why; and what runs "
                + "it instead -->, or add the program to RUNNABLE if it is safe here", block.label(),
                block.programs(), DocumentedCommands.MARK).containsAll(block.programs());
        IntStream.range(0, session.size()).filter(i -> session.get(i).block() == block)
                .forEach(i -> checkStep(session, i, result));
    }

    private static void checkStep(List<Step> session, int i, DocShell.Result result) {
        Step step = session.get(i);
        String output = result.outputs().get(i);
        if (!result.reached(i)) {
            int failed = result.failed();
            fail("%s was not reached: %s", step.label(), failed < 0 ? "the session failed:\n" + result.transcript()
                    : session.get(failed).label() + " failed first");
        }
        if (result.failed() == i) {
            fail("%s failed (exit %d):\n%s\nprinting:\n%s", step.label(), result.exitCode(), step.command().text(),
                    output);
        }
        if (step.command().shown() != null) {
            assertThat(ShownOutput.matches(step.command().shown(), output))
                    .as("%s:\n%s\nshows\n%s\nbut printed\n%s", step.label(), step.command().text(),
                            step.command().shown(), output).isTrue();
        }
    }

    static void checkMarked(Block block) {
        assertThat(block.notRunBecause()).as("%s: say why it is not run and what runs it", block.label())
                .isNotBlank();
        assertThat(DocShell.syntaxErrors(block.text())).as("%s: bash -n", block.label()).isEmpty();
        assertThat(DocumentedCommands.repositoryPaths(block.text(), ROOT))
                .as("%s names paths that do not exist", block.label())
                .allSatisfy(path -> assertThat(ROOT.resolve(path)).satisfies(p -> assertThat(Files.exists(p))
                        .as(path).isTrue()));
        assertThat(RUNNABLE.containsAll(block.programs()))
                .as("%s is marked, but every command in it can run here (%s): remove the marker", block.label(),
                        block.programs()).isFalse();
    }
}
