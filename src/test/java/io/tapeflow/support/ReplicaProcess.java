package io.tapeflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/tapeflow-*.jar}) running as a real process on a free port, with its output in
 * {@code target/it-logs/<name>.log}: what an operator starts, so that a test can kill it like one.
 */
public final class ReplicaProcess implements AutoCloseable {

    private final String name;
    private final Map<String, String> properties;
    private final Path logFile;
    private int port;
    private Process process;

    private ReplicaProcess(String name, Map<String, String> properties) {
        this.name = name;
        this.properties = properties;
        this.logFile = Path.of("target", "it-logs", name + ".log").toAbsolutePath();
    }

    /** Starts the jar with these {@code --key=value} settings; {@link #awaitReady} waits for it. */
    public static ReplicaProcess start(String name, Map<String, String> properties) {
        ReplicaProcess r = new ReplicaProcess(name, properties);
        r.launch();
        return r;
    }

    /** Starts a fresh process under the same name and settings (a new port; the log continues). */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    private void launch() {
        port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx320m", "-XX:+UseSerialGC", "-jar", jar().toString(),
                "--server.port=" + port));
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "==== starting " + name + " on port " + port + "\n", StandardCharsets.UTF_8,
                    Files.exists(logFile) ? java.nio.file.StandardOpenOption.APPEND
                            : java.nio.file.StandardOpenOption.CREATE);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Http http() {
        return new Http(port);
    }

    /** Waits until the readiness probe says UP; fails with the log's tail if the process dies or takes too long. */
    public ReplicaProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http http = http();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.get("/actuator/health/readiness").status() == 200) {
                    return this;
                }
            } catch (IllegalStateException notListeningYet) {
                // the port opens late in the start
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
    }

    /** kill -9: no shutdown hook, no checkpoint, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: the graceful shutdown an orchestrator asks for. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything this replica (and its earlier processes) logged. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        String log = log();
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The repackaged jar the build just made (not the plain {@code .jar.original}). */
    static Path jar() {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "tapeflow-*.jar")) {
            for (Path p : jars) {
                return p.toAbsolutePath();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("No target/tapeflow-*.jar: the process tests run after `package` "
                + "(./mvnw verify)");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
