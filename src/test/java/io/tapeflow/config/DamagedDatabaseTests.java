package io.tapeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tapeflow.TapeflowApplication;
import io.tapeflow.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue #14: twice the H2 file would not open any more ("File corrupted in chunk 23") and the start ended in 60 lines
 * of stack trace. A real database file, written by the service, is damaged in a copy (garbage over its chunks'
 * pages): the start fails with one line naming the file and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class DamagedDatabaseTests {

    private static final int BLOCK = 4096;
    private static final int FOOTER = 128;

    @Test
    void aDamagedH2FileStopsTheStartWithOneLineSayingWhatToDo(CapturedOutput output) throws Exception {
        Path original = Path.of("target", "h2", UUID.randomUUID().toString()).toAbsolutePath();
        try (ConfigurableApplicationContext app = start(original)) {
            Http http = new Http(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
            assertThat(http.postJson("/api/v1/datasets", """
                    {"name": "kept", "source": {"type": "linear", "samples": 50}}""").status()).isEqualTo(201);
        }
        Path damaged = Path.of("target", "h2", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(damaged);
        Path file = damaged.resolve("tapeflow.mv.db");
        Files.copy(original.resolve("tapeflow.mv.db"), file);
        overwriteChunks(file);

        assertThatThrownBy(() -> start(damaged).close()).isNotNull();

        List<String> lines = output.getOut().lines().filter(l -> l.contains("is damaged")).toList();
        assertThat(lines).as(output.getOut()).hasSize(1);
        assertThat(lines.get(0)).contains("The embedded database file " + file + " is damaged and cannot be opened",
                "restore it from a backup, or move it aside", "the data directory is " + damaged);
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(TapeflowApplication.class).run("--server.port=0",
                "--tapeflow.data-dir=" + dataDir, "--tapeflow.training.workers=1");
    }

    /**
     * Garbage over the pages of every chunk, keeping each chunk's header and its 128-byte footer: H2 still finds
     * valid-looking chunks (so it does not take the file for a new, empty one) and then cannot read their pages.
     * Chunks start on 4 KB blocks with a text header, {@code chunk:…,len:<blocks, hex>,…} up to a newline.
     */
    private static void overwriteChunks(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Pattern header = Pattern.compile("^chunk:[0-9a-f]+,.*?len:([0-9a-f]+)");
        Random random = new Random(14);
        int chunks = 0;
        for (int at = 2 * BLOCK; at < bytes.length; at += BLOCK) {
            String text = new String(bytes, at, Math.min(256, bytes.length - at), StandardCharsets.ISO_8859_1);
            Matcher chunk = header.matcher(text);
            if (!chunk.find()) {
                continue;
            }
            int length = Integer.parseInt(chunk.group(1), 16) * BLOCK;
            int pages = at + text.indexOf('\n') + 1;
            byte[] garbage = new byte[at + length - FOOTER - pages];
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, bytes, pages, garbage.length);
            chunks++;
            at += length - BLOCK;
        }
        assertThat(chunks).as("chunks found").isPositive();
        Files.write(file, bytes);
    }
}
