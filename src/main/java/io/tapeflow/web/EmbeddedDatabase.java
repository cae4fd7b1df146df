package io.tapeflow.web;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** The embedded H2 database: which file holds its data, and what its failures mean for an operator. */
public final class EmbeddedDatabase {

    /** H2's "The database has been closed": its store closed itself (an OutOfMemoryError inside H2, say). */
    private static final int STORE_CLOSED = 90098;
    /** H2's "File corrupted while reading record". */
    private static final int FILE_CORRUPTED = 90030;

    private EmbeddedDatabase() {
    }

    /** The data file of an H2 file URL ({@code jdbc:h2:file:./data/tapeflow;…} → {@code ./data/tapeflow.mv.db}). */
    public static Optional<Path> file(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String name = jdbcUrl.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (name.startsWith("mem:") || name.startsWith("tcp:") || name.startsWith("ssl:")) {
            return Optional.empty();
        }
        name = name.startsWith("file:") ? name.substring("file:".length()) : name;
        return Optional.of(Path.of(name + ".mv.db").toAbsolutePath().normalize());
    }

    /** Whether H2 has closed its store: every statement fails from then on, until the process restarts. */
    static boolean closed(Throwable e) {
        return errorCode(e) == STORE_CLOSED;
    }

    /** Whether H2 could not read its file: damaged, so it cannot be opened as it is. */
    public static boolean damaged(Throwable e) {
        return errorCode(e) == FILE_CORRUPTED;
    }

    /** The vendor code of the first SQLException in the causes, or 0. */
    private static int errorCode(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }
}
