package io.tapeflow.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load test of {@code POST /api/v1/models/{id}/predictions} over keep-alive HTTP/1.1 connections, JDK
 * only, so it runs straight from source:
 *
 * <pre>
 * ./mvnw -B -ntp -q -DskipTests package &amp;&amp; java src/test/java/io/tapeflow/load/PredictionsLoad.java --jar target/tapeflow-0.1.0-SNAPSHOT.jar
 * java src/test/java/io/tapeflow/load/PredictionsLoad.java --url http://127.0.0.1:8080   # a running service
 * </pre>
 *
 * It starts the packaged service on a free loopback port with a fresh data directory (or uses the one at
 * {@code --url}, which must be a loopback address) and first times {@code --rings-jobs} (default 5; 0 skips) whole
 * training jobs of the reference's rings DNN (docs/architecture.md §5: the job through HTTP in under 1 s): 2-4-8-1, SGD 0.001,
 * 600 epochs, batch 100 on 4 000 rows, each from its POST to the answer of a long poll and from the job's
 * {@code startedAt} to its {@code finishedAt}; the first is a cold JVM's. Then it creates the reference's linear data
 * set, trains a linear model for 20 epochs and runs two phases, each after a warm-up of the same length: 1-row
 * requests on {@code --connections} connections (requests/s, p50/p99/p99.9 latency) and 10 000-row requests on two
 * connections (rows/s). Each phase is bounded by {@code --seconds} (default 30: on two cores the JIT is still
 * compiling the service's hot paths for most of the first 30 s) and by a request count; then it stops the service
 * it started. {@code --service-arg --name=value} (repeatable) passes a setting to the service it starts, e.g.
 * {@code --tapeflow.training.warm-up=0s} to time the first job without the start-up warm-up, and {@code --jvm-arg}
 * (repeatable) a JVM option; {@code --after-ready S} waits S seconds after readiness before the first request (a
 * person's first job comes seconds after the start, a script's at once). Raw sockets rather than an HTTP client
 * library keep the generator's own cost per request to two system calls, since it shares the machine's cores with
 * the service.
 */
public final class PredictionsLoad {

    private static final int MAX_REQUESTS_PER_PHASE = 3_000_000;
    private static final int BIG_ROWS = 10_000;

    private final String host;
    private final int port;
    /** The service's process when this test started it: its CPU time per request is measured too. */
    private final ProcessHandle service;

    private PredictionsLoad(String host, int port, ProcessHandle service) {
        this.host = host;
        this.port = port;
        this.service = service;
    }

    public static void main(String[] args) throws Exception {
        String jar = null;
        String url = null;
        int connections = 8;
        int seconds = 30;
        int ringsJobs = 5;
        int w3Jobs = 0;
        boolean predictions = true;
        int afterReady = 0;
        List<String> serviceArgs = new ArrayList<>();
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--url" -> url = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rings-jobs" -> ringsJobs = Integer.parseInt(args[++i]);
                case "--w3-jobs" -> w3Jobs = Integer.parseInt(args[++i]);
                case "--no-predictions" -> predictions = false;
                case "--service-arg" -> serviceArgs.add(args[++i]);
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--after-ready" -> afterReady = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --jar FILE | --url http://127.0.0.1:PORT, --connections N, --seconds S,"
                        + " --rings-jobs N, --w3-jobs N, --no-predictions, --service-arg --name=value,"
                        + " --jvm-arg -XX:..., --after-ready SECONDS");
            }
        }
        if ((jar == null) == (url == null)) {
            throw new IllegalArgumentException("give exactly one of --jar FILE or --url http://127.0.0.1:PORT");
        }
        Process server = null;
        PredictionsLoad load;
        if (jar != null) {
            int port = freePort();
            Path dataDir = Files.createTempDirectory("tapeflow-load");
            Path log = dataDir.resolve("service.log");
            List<String> command = new ArrayList<>(List.of("java", "--add-modules", "jdk.incubator.vector", "-Xmx2g"));
            command.addAll(jvmArgs); // e.g. --jvm-arg -XX:CompileThresholdScaling=0.25
            command.addAll(List.of("-jar", jar, "--server.address=127.0.0.1", "--server.port=" + port,
                    "--tapeflow.data-dir=" + dataDir));
            command.addAll(serviceArgs); // e.g. --service-arg --tapeflow.training.warm-up=0s
            server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            System.out.printf("started the service (pid %d) on 127.0.0.1:%d, log %s%n", server.pid(), port, log);
            load = new PredictionsLoad("127.0.0.1", port, server.toHandle());
        } else {
            URI uri = URI.create(url);
            if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                throw new IllegalArgumentException("the load test only targets loopback addresses, not " + url);
            }
            load = new PredictionsLoad(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), null);
        }
        try {
            load.run(connections, seconds, ringsJobs, w3Jobs, predictions, afterReady);
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    private void run(int connections, int seconds, int ringsJobs, int w3Jobs, boolean predictions, int afterReady)
            throws Exception {
        awaitHealthy(180);
        Thread.sleep(afterReady * 1000L); // a person pasting the README's block sends the first job seconds later
        if (ringsJobs > 0) {
            timeRingsJobs(ringsJobs);
        }
        if (w3Jobs > 0) {
            timeW3Jobs(w3Jobs);
        }
        if (!predictions) {
            return;
        }
        String model = trainModel();
        System.out.printf(Locale.ROOT, "model %s; %d cores; load average before: %.2f%n", model,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        String path = "/api/v1/models/" + model + "/predictions";

        byte[] one = request(path, "{\"instances\": [[1.5, -2.25]]}");
        check(one, "\"predictions\"");
        phase("1-row requests (warm-up)", one, 1, connections, seconds);
        Result small = phase("1-row requests", one, 1, connections, seconds);

        StringBuilder body = new StringBuilder(BIG_ROWS * 16).append("{\"instances\": [");
        for (int r = 0; r < BIG_ROWS; r++) {
            body.append(r == 0 ? "" : ",").append('[').append((r % 200) * 0.1 - 10).append(',')
                    .append(((r * 7) % 200) * 0.1 - 10).append(']');
        }
        byte[] big = request(path, body.append("]}").toString());
        check(big, "\"predictions\"");
        phase("10 000-row requests (warm-up)", big, BIG_ROWS, 2, seconds);
        Result large = phase("10 000-row requests", big, BIG_ROWS, 2, seconds);

        System.out.printf(Locale.ROOT, "%nSUMMARY 1-row: %.0f requests/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms"
                + " (%d connections)%n", small.perSecond(), small.percentile(50), small.percentile(99),
                small.percentile(99.9), connections);
        System.out.printf(Locale.ROOT, "SUMMARY 10 000-row: %.0f rows/s (%.1f requests/s, p50 %.1f ms, p99 %.1f ms,"
                + " %.1f MB/s of JSON in)%n", large.perSecond() * BIG_ROWS, large.perSecond(), large.percentile(50),
                large.percentile(99), large.perSecond() * big.length / 1e6);
        System.out.printf(Locale.ROOT, "load average after: %.2f%n", loadAverage());
    }

    /** Latencies in ns of every request of a phase, and its length. */
    private record Result(long[] latencies, long nanos) {

        double perSecond() {
            return latencies.length / (nanos / 1e9);
        }

        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    private Result phase(String name, byte[] request, int rows, int connections, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int perConnection = MAX_REQUESTS_PER_PHASE / connections;
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(new Worker(request, deadline, perConnection));
        }
        long cpuBefore = serviceCpuNanos();
        long start = System.nanoTime();
        for (Worker w : workers) {
            w.thread.start();
        }
        int total = 0;
        int errors = 0;
        for (Worker w : workers) {
            w.thread.join();
            if (w.failure != null) {
                throw new IllegalStateException(name + ": a connection failed", w.failure);
            }
            total += w.count;
            errors += w.errors;
        }
        long nanos = System.nanoTime() - start;
        long cpu = serviceCpuNanos() - cpuBefore;
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        Result result = new Result(all, nanos);
        System.out.printf(Locale.ROOT, "%-32s %9d requests in %5.2f s: %9.0f requests/s, %10.0f rows/s,"
                + " p50 %7.3f ms, p99 %7.3f ms, p99.9 %7.3f ms, non-200 answers %d%n", name, total, nanos / 1e9,
                result.perSecond(), result.perSecond() * rows, result.percentile(50), result.percentile(99),
                result.percentile(99.9), errors);
        if (cpuBefore >= 0 && total > 0) {
            // Independent of other processes on the machine: what the service itself spent per request.
            double perRequest = cpu / 1e3 / total;
            System.out.printf(Locale.ROOT, "%-32s service CPU %.1f µs per request: at most %.0f requests/s per"
                    + " core, %.0f rows/s per core%n", "", perRequest, 1e6 / perRequest, 1e6 / perRequest * rows);
        }
        if (errors > 0) {
            throw new IllegalStateException(name + ": " + errors + " answers were not 200");
        }
        return result;
    }

    /** One keep-alive connection sending the same request until the deadline or its share of the count. */
    private final class Worker implements Runnable {
        final Thread thread = new Thread(this, "load");
        final byte[] request;
        final long deadline;
        final long[] latencies;
        int count;
        int errors;
        Exception failure;

        Worker(byte[] request, long deadline, int max) {
            this.request = request;
            this.deadline = deadline;
            this.latencies = new long[max];
        }

        @Override
        public void run() {
            Socket socket = null;
            InputStream in = null;
            try {
                while (count < latencies.length) {
                    long t0 = System.nanoTime();
                    if (t0 >= deadline) {
                        break;
                    }
                    if (socket == null) {
                        // a server may close a keep-alive connection after so many requests; then open another
                        socket = connect();
                        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                    }
                    socket.getOutputStream().write(request);
                    int status = readResponse(in, null);
                    if ((status & 0xFFFF) != 200) {
                        errors++;
                    }
                    if ((status & CLOSE) != 0) {
                        socket.close();
                        socket = null;
                    }
                    latencies[count++] = System.nanoTime() - t0;
                }
                if (socket != null) {
                    socket.close();
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    // ---------------------------------------------------------------- setting up: data set, job, model

    private String trainModel() throws IOException {
        String dataset = field(call("POST", "/api/v1/datasets", """
                {"name": "load test linear", "seed": 42, "source": {"type": "linear", "samples": 400,
                 "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}"""), "id");
        String job = field(call("POST", "/api/v1/training-jobs", """
                {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
                 "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 20, "batchSize": 10,
                 "seed": 1}""".formatted(dataset)), "id");
        return field(awaitJob(job), "modelId");
    }

    /** The reference's rings job, {@code count} times in a row: client-side and server-side seconds of each. */
    private void timeRingsJobs(int count) throws IOException {
        String dataset = field(call("POST", "/api/v1/datasets", """
                {"name": "load test rings", "seed": 7, "source": {"type": "rings", "positives": 2000,
                 "negatives": 2000, "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}"""), "id");
        String job = """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu",
                 "output": "sigmoid", "initializer": "truncated_normal"}, "loss": "binary_crossentropy",
                 "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 600, "batchSize": 100,
                 "seed": %d}""";
        double[] client = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            String id = field(call("POST", "/api/v1/training-jobs", job.formatted(dataset, i + 1)), "id");
            double posted = (System.nanoTime() - start) / 1e9;
            String done = awaitJob(id);
            client[i] = (System.nanoTime() - start) / 1e9;
            java.time.Instant answered = java.time.Instant.now();
            java.time.Instant created = java.time.Instant.parse(field(done, "createdAt"));
            java.time.Instant started = java.time.Instant.parse(field(done, "startedAt"));
            java.time.Instant finished = java.time.Instant.parse(field(done, "finishedAt"));
            System.out.printf(Locale.ROOT, "rings job %d (600 epochs, 24 000 steps)%s: %.3f s from POST to answer,"
                    + " %.3f s from startedAt to finishedAt (POST answered in %.3f s, queued %.3f s, answer %.3f s"
                    + " after finishedAt)%n", i + 1, i == 0 ? ", cold JVM" : "", client[i], seconds(started, finished),
                    posted, seconds(created, started), seconds(finished, answered));
        }
        if (count > 1) {
            double[] warm = Arrays.copyOfRange(client, 1, count);
            Arrays.sort(warm);
            System.out.printf(Locale.ROOT, "SUMMARY rings job through HTTP: first %.3f s; then median %.3f s, worst"
                    + " %.3f s%n", client[0], warm[warm.length / 2], warm[warm.length - 1]);
        }
    }

    /**
     * A W3-sized softmax job through HTTP, {@code count} times: 784-256-256-10 on 10 000 blobs rows (the dataset
     * generator's defaults), SGD 0.01, batch 256, graph mode, 20 epochs — MlpBenchmarks' W3 step on fewer rows.
     * Samples/s of the training loop inside the service (training rows / each epoch's seconds, median) and of
     * the whole job (from startedAt to finishedAt: loading the dataset, training, storing the model).
     */
    private void timeW3Jobs(int count) throws IOException {
        String dataset = field(call("POST", "/api/v1/datasets", """
                {"name": "load test W3 blobs", "seed": 5, "source": {"type": "blobs"}}"""), "id");
        String job = """
                {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [256, 256], "output": "softmax",
                 "standardize": false}, "loss": "sparse_categorical_crossentropy",
                 "optimizer": {"type": "sgd", "learningRate": 0.01}, "epochs": 20, "batchSize": 256,
                 "seed": %d}""";
        int rows = 10_000;
        int epochs = 20;
        for (int i = 0; i < count; i++) {
            String id = field(call("POST", "/api/v1/training-jobs", job.formatted(dataset, i + 1)), "id");
            String done = awaitJob(id);
            double server = java.time.Duration.between(java.time.Instant.parse(field(done, "startedAt")),
                    java.time.Instant.parse(field(done, "finishedAt"))).toNanos() / 1e9;
            String metrics = call("GET", "/api/v1/training-jobs/" + id + "/metrics", null);
            Matcher m = Pattern.compile("\"seconds\":([0-9.eE-]+)")
                    .matcher(metrics);
            List<Double> seconds = new ArrayList<>();
            while (m.find()) {
                seconds.add(Double.parseDouble(m.group(1)));
            }
            java.util.Collections.sort(seconds);
            double epoch = seconds.get(seconds.size() / 2);
            System.out.printf(Locale.ROOT, "W3 softmax job %d%s: training loop %.0f samples/s (median epoch %.3f s);"
                    + " whole job %.3f s = %.0f samples/s%n", i + 1, i == 0 ? " (cold)" : "", rows / epoch, epoch,
                    server, (double) rows * epochs / server);
        }
    }

    private static double seconds(java.time.Instant from, java.time.Instant to) {
        return java.time.Duration.between(from, to).toNanos() / 1e9;
    }

    /** Long-polls a job until it has succeeded; its final JSON. */
    private String awaitJob(String job) throws IOException {
        for (int i = 0; i < 120; i++) {
            String state = call("GET", "/api/v1/training-jobs/" + job + "?waitSeconds=5", null);
            if (state.contains("\"SUCCEEDED\"")) {
                return state;
            }
            if (state.contains("\"FAILED\"") || state.contains("\"CANCELLED\"")) {
                throw new IllegalStateException("the training job did not succeed: " + state);
            }
        }
        throw new IllegalStateException("the training job did not finish in time");
    }

    private void awaitHealthy(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (call("GET", "/actuator/health/readiness", null).contains("\"UP\"")) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                // not listening yet, or not ready yet (503 while the engine warms up)
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not ready within " + seconds + " s");
    }

    private String call(String method, String path, String json) throws IOException {
        try (Socket socket = connect()) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nAccept: application/json\r\nConnection: close\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int status = readResponse(new BufferedInputStream(socket.getInputStream()), answer) & 0xFFFF;
            String text = answer.toString(StandardCharsets.UTF_8);
            if (status / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + status + ": " + text);
            }
            return text;
        }
    }

    private byte[] request(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private void check(byte[] request, String expected) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int status = readResponse(new BufferedInputStream(socket.getInputStream()), answer) & 0xFFFF;
            String text = answer.toString(StandardCharsets.UTF_8);
            if (status != 200 || !text.contains(expected)) {
                throw new IllegalStateException("predictions answered " + status + ": "
                        + text.substring(0, Math.min(300, text.length())));
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    // ---------------------------------------------------------------- HTTP/1.1 responses, just enough

    /** Set in {@link #readResponse}'s answer when the server closes the connection after this response. */
    private static final int CLOSE = 1 << 16;

    /**
     * Reads one response (Content-Length or chunked), copying the body to {@code sink} if given; answers the status,
     * with {@link #CLOSE} set when the server said {@code Connection: close}. One request is in flight per
     * connection, so a buffered stream never holds bytes of a later response.
     */
    private static int readResponse(InputStream in, OutputStream sink) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                copy(in, size, sink);
                line(in);
            }
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers are ignored
            }
        } else if (length >= 0) {
            copy(in, length, sink);
        } else {
            in.transferTo(sink == null ? OutputStream.nullOutputStream() : sink);
        }
        return close ? code | CLOSE : code;
    }

    private static void copy(InputStream in, long n, OutputStream sink) throws IOException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw new IOException("connection closed inside a response body");
            }
            if (sink != null) {
                sink.write(buffer, 0, read);
            }
            n -= read;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed inside a response head");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + json);
        }
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The started service's CPU time so far (all its threads, GC included), or -1 when it is not ours. */
    private long serviceCpuNanos() {
        if (service == null) {
            return -1;
        }
        return service.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
