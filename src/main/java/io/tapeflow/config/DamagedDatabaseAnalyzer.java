package io.tapeflow.config;

import java.nio.file.Path;

import io.tapeflow.web.EmbeddedDatabase;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * A start that fails because H2 cannot read its file says so in one line: which file is damaged, where the data
 * directory is and what to do, instead of only Hikari's and Spring's stack traces (60 lines that end in "File
 * corrupted in chunk 23"). The service must not go on with a damaged file, nor replace it by itself: the operator
 * decides between a backup and an empty database. Registered in META-INF/spring.factories.
 */
class DamagedDatabaseAnalyzer implements FailureAnalyzer, Ordered {

    private static final int MAX_REASON = 120;

    private final Environment environment;

    DamagedDatabaseAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        if (!EmbeddedDatabase.damaged(failure)) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "");
        String file = EmbeddedDatabase.file(url).map(Path::toString).orElse(url);
        Path dataDir = Path.of(environment.getProperty("tapeflow.data-dir", ".")).toAbsolutePath().normalize();
        String description = "The embedded database file " + file + " is damaged and cannot be opened ("
                + reason(failure) + "); restore it from a backup, or move it aside to start with an empty database "
                + "(the data directory is " + dataDir + ", tapeflow.data-dir)";
        String action = "Restore " + file + " from a backup, or move it aside (mv " + file + " " + file
                + ".damaged), then start the service again.";
        return new FailureAnalysis(description, action, failure);
    }

    /** What H2 found, in its own words: the innermost message's first line ("File corrupted in chunk 23, ..."). */
    private static String reason(Throwable failure) {
        String message = "";
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage().lines().findFirst().orElse("");
            }
        }
        return message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "…";
    }

    /** Before Spring Boot's own analyzers, which would describe the failed bean rather than the file. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
