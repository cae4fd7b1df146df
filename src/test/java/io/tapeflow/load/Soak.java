package io.tapeflow.load;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded soak of the packaged service (issue #14), JDK only, so it runs straight from source and never in
 * {@code verify} (surefire and failsafe take *Tests and *IT classes only, as for {@link PredictionsLoad}):
 *
 * <pre>
 * ./mvnw -B -ntp -q -o -DskipTests package
 * java src/test/java/io/tapeflow/load/Soak.java --jar target/tapeflow-0.1.0-SNAPSHOT.jar --minutes 10
 * java src/test/java/io/tapeflow/load/Soak.java --jar target/tapeflow-0.1.0-SNAPSHOT.jar --estimates
 * </pre>
 *
 * It starts the jar ({@code java --add-modules jdk.incubator.vector -Xmx1g -jar}) on a free loopback port with a
 * fresh H2 data directory and for {@code --minutes} runs mixed load from a few threads: CSV uploads and dataset
 * deletes, many small training jobs (some submitted twice with one Idempotency-Key, some cancelled), long polls,
 * event streams read to their end, predictions (some with explain) on the first 30 models and the imported ones,
 * model exports, imports and deletes. Then it waits
 * for every job to end and checks: each submitted job ended once (a terminal state, one attempt, one model per
 * success, no job the soak did not submit, no replayed key that made a second job), models with a job = succeeded
 * jobs, no 5xx answer anywhere, and a flat heap (heap used after a forced GC, and {@code jvm.gc.live.data.size}, in
 * the first minute against the last). It prints a summary and exits 1 if a check failed.
 *
 * <p>{@code --estimates} instead puts the dry-run estimate of three jobs (the reference rings and linear jobs, and
 * an mlp [2048, 2048] with Adam on 64 rows) beside what happened: the job's seconds (its second run) and live heap
 * (after a GC half way through its estimated time) on a service with default settings, and the size of its checkpoint in {@code training_job_checkpoints}
 * (read with psql) on one that checkpoints every epoch. Both run on the local PostgreSQL (127.0.0.1:5432, user
 * postgres, database test), each in a fresh schema dropped afterwards.
 */
public final class Soak {

    private static final Pattern STATUS_5XX = Pattern.compile("^5\\d\\d$");
    private static final String CSV = "text/csv";
    private static final String JSON = "application/json";
    private static final int MAX_IN_FLIGHT = 12;
    private static final int PREDICTED_MODELS = 30;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final long pid;

    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private final List<String> datasets = new CopyOnWriteArrayList<>();
    private final Set<String> jobs = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> models = new CopyOnWriteArrayList<>();
    /**
     * What predictions ask: the first trained models and the imported ones (which are deleted again), so the model
     * cache stops growing in the first minute and any later growth of the heap is not the cache filling up.
     */
    private final List<String> predictable = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> imported = new ConcurrentLinkedQueue<>();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong finals = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();

    private Soak(int port, long pid) {
        this.base = "http://127.0.0.1:" + port;
        this.pid = pid;
    }

    public static void main(String[] args) throws Exception {
        String jar = null;
        int minutes = 10;
        boolean estimates = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--estimates" -> estimates = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --jar FILE, --minutes N (default 10), --estimates");
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("give --jar target/tapeflow-0.1.0-SNAPSHOT.jar");
        }
        System.out.printf(Locale.ROOT, "%s; %d cores; load average %.2f%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        if (estimates) {
            Estimates.run(jar);
            return;
        }
        Path dataDir = Files.createTempDirectory("tapeflow-soak");
        Service service = Service.start(jar, List.of("--tapeflow.data-dir=" + dataDir), dataDir.resolve("service.log"));
        boolean ok;
        try {
            Soak soak = new Soak(service.port(), service.process().pid());
            soak.awaitReady();
            ok = soak.run(Duration.ofMinutes(minutes));
        } finally {
            service.stop();
        }
        System.exit(ok ? 0 : 1);
    }

    // ---------------------------------------------------------------- the run

    private boolean run(Duration length) throws Exception {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        seed();
        Heap heap = new Heap();
        List<Thread> threads = new ArrayList<>();
        threads.add(loop("uploads", end, 400, this::upload));
        threads.add(loop("jobs-1", end, 150, this::submitJob));
        threads.add(loop("jobs-2", end, 150, this::submitJob));
        threads.add(loop("polls", end, 50, this::longPoll));
        threads.add(loop("streams-1", end, 100, this::stream));
        threads.add(loop("streams-2", end, 100, this::stream));
        threads.add(loop("predictions", end, 20, this::predict));
        threads.add(loop("imports", end, 500, this::importModel));
        threads.add(loop("heap", end, 10_000, () -> heap.sample(this)));
        threads.forEach(Thread::start);
        sleepUntil(start + Duration.ofSeconds(60).toNanos());
        heap.first = heapAfterGc();
        sleepUntil(end - Duration.ofSeconds(30).toNanos());
        heap.last = heapAfterGc();
        for (Thread t : threads) {
            t.join();
        }
        awaitJobsEnded(Duration.ofMinutes(3));
        Checks checks = verify(heap);
        summary(length, heap, checks);
        return checks.ok();
    }

    /** A thread running {@code step} every {@code pauseMillis} until {@code end}; a step's exception is a failure. */
    private Thread loop(String name, long end, long pauseMillis, Step step) {
        return new Thread(() -> {
            while (System.nanoTime() < end) {
                try {
                    step.run();
                    count(name);
                } catch (Exception e) {
                    failures.add(name + ": " + e);
                }
                sleepMillis(ThreadLocalRandom.current().nextLong(pauseMillis / 2, pauseMillis * 3 / 2 + 1));
            }
        }, "soak-" + name);
    }

    interface Step {
        void run() throws Exception;
    }

    /** Two datasets and one model to start from, so every thread has something to work on at once. */
    private void seed() throws Exception {
        upload();
        upload();
        String job = submit(datasets.get(0), linearJob(5), UUID.randomUUID().toString());
        String done = call("GET", "/api/v1/training-jobs/" + job + "?waitSeconds=60", null, null).body();
        inFlight.remove(job);
        trained(field(done, "modelId"));
    }

    private void trained(String model) {
        models.add(model);
        if (predictable.size() < PREDICTED_MODELS) {
            predictable.add(model);
        }
    }

    private void upload() throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int rows = r.nextInt(50, 400);
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < rows; i++) {
            double a = r.nextDouble(-5, 5);
            double b = r.nextDouble(-5, 5);
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 2 * a - 3 * b + 1 + r.nextGaussian()));
        }
        Response created = expect(call("POST", "/api/v1/datasets?name=soak-" + rows + "&labels=y", CSV,
                csv.toString()), 201);
        datasets.add(field(created.body(), "id"));
        if (datasets.size() > 20 && r.nextInt(3) == 0) {
            String old = datasets.remove(0);
            // 409 while a queued or running job reads it
            expect(call("DELETE", "/api/v1/datasets/" + old, null, null), 204, 409);
        }
    }

    private void submitJob() throws Exception {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            return; // the polls and streams see jobs through; keep the queue bounded
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String dataset = datasets.get(r.nextInt(datasets.size()));
        String body = r.nextInt(4) == 0 ? mlpJob(r.nextInt(3, 15)) : linearJob(r.nextInt(2, 30));
        String key = UUID.randomUUID().toString();
        String id = submit(dataset, body, key);
        if (id == null) {
            return;
        }
        if (r.nextInt(5) == 0) {
            Response again = expect(call("POST", "/api/v1/training-jobs", JSON, body.formatted(dataset),
                    Map.of("Idempotency-Key", key)), 200, 202);
            if (!id.equals(field(again.body(), "id")) || !"true".equals(again.header("Idempotent-Replayed"))) {
                failures.add("an Idempotency-Key replay made another job: " + again.body());
            }
            replays.incrementAndGet();
        }
        if (r.nextInt(15) == 0) {
            expect(call("POST", "/api/v1/training-jobs/" + id + "/cancel", JSON, "", Map.of()), 200, 202, 409);
        }
    }

    private String submit(String dataset, String body, String key) throws Exception {
        Response accepted = call("POST", "/api/v1/training-jobs", JSON, body.formatted(dataset),
                Map.of("Idempotency-Key", key));
        if (accepted.status() == 404 || accepted.status() == 409) {
            return null; // its dataset was deleted meanwhile
        }
        String id = field(expect(accepted, 202).body(), "id");
        jobs.add(id);
        inFlight.add(id);
        return id;
    }

    private static String linearJob(int epochs) {
        return """
                {"datasetId": "%%s", "model": {"type": "linear"}, "loss": "mse",
                 "optimizer": {"type": "sgd", "learningRate": 0.01}, "epochs": %d, "batchSize": 16}"""
                .formatted(epochs);
    }

    private static String mlpJob(int epochs) {
        return """
                {"datasetId": "%%s", "model": {"type": "mlp", "hiddenLayers": [8, 8]}, "loss": "mse",
                 "optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": %d, "batchSize": 8,
                 "validationSplit": 0.2, "earlyStopping": {"monitor": "val_loss", "patience": 3}}"""
                .formatted(epochs);
    }

    private void longPoll() throws Exception {
        String job = any(inFlight);
        if (job == null) {
            return;
        }
        Response r = expect(call("GET", "/api/v1/training-jobs/" + job + "?waitSeconds=5", null, null), 200);
        String state = field(r.body(), "state");
        if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
            inFlight.remove(job);
            if (state.equals("SUCCEEDED")) {
                trained(field(r.body(), "modelId"));
            }
        }
    }

    /** An event stream read to its end (one final event); one in five is abandoned after its first event. */
    private void stream() throws Exception {
        String job = any(inFlight);
        if (job == null) {
            return;
        }
        boolean abandon = ThreadLocalRandom.current().nextInt(5) == 0;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/training-jobs/"
                + job + "/events")).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
        record(r.statusCode(), "GET /events");
        streams.incrementAndGet();
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                failures.add("events of " + job + " answered " + r.statusCode());
                return;
            }
            long seen = new String(abandon ? in.readNBytes(64) : in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(l -> l.equals("event:final")).count();
            if (!abandon && seen != 1) {
                failures.add("events of " + job + " ended with " + seen + " final events");
            }
            finals.addAndGet(seen);
        }
    }

    private void predict() throws Exception {
        String model = any(predictable);
        if (model == null) {
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder body = new StringBuilder("{\"instances\": [");
        int n = r.nextInt(1, 50);
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.3f, %.3f]", r.nextDouble(-5, 5),
                    r.nextDouble(-5, 5)));
        }
        String explain = r.nextInt(10) == 0 ? "?explain=true" : "";
        // 404: an imported model deleted meanwhile
        expect(call("POST", "/api/v1/models/" + model + "/predictions" + explain, JSON, body.append("]}").toString(),
                Map.of()), 200, 404);
    }

    private void importModel() throws Exception {
        String model = any(models);
        if (model == null) {
            return;
        }
        Response export = call("GET", "/api/v1/models/" + model + "/export", null, null);
        if (export.status() == 404) {
            return;
        }
        Response created = expect(call("POST", "/api/v1/models/import", JSON, expect(export, 200).body(), Map.of()),
                201);
        String id = field(created.body(), "id");
        imported.add(id);
        predictable.add(id);
        if (imported.size() > 10) {
            String old = imported.poll();
            predictable.remove(old);
            expect(call("DELETE", "/api/v1/models/" + old, null, null), 204);
        }
    }

    // ---------------------------------------------------------------- the checks

    private void awaitJobsEnded(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String job : List.copyOf(inFlight)) {
            while (System.nanoTime() < deadline) {
                String state = field(call("GET", "/api/v1/training-jobs/" + job + "?waitSeconds=10", null, null)
                        .body(), "state");
                if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
                    break;
                }
            }
        }
    }

    record Checks(Map<String, Integer> states, Map<Integer, Integer> attempts, int listed, int trainedModels,
            List<String> problems) {

        boolean ok() {
            return problems.isEmpty();
        }
    }

    private Checks verify(Heap heap) throws Exception {
        List<String> problems = new ArrayList<>(failures);
        Map<String, Integer> states = new ConcurrentHashMap<>();
        Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
        Set<String> succeeded = new HashSet<>();
        for (String job : jobs) {
            String body = expect(call("GET", "/api/v1/training-jobs/" + job, null, null), 200).body();
            String state = field(body, "state");
            states.merge(state, 1, Integer::sum);
            int tries = Integer.parseInt(number(body, "attempts"));
            attempts.merge(tries, 1, Integer::sum);
            if (!Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
                problems.add("job " + job + " has not ended: " + state);
            }
            if (state.equals("SUCCEEDED")) {
                succeeded.add(job);
            }
            if (tries > 1) {
                problems.add("job " + job + " ran " + tries + " times");
            }
        }
        Set<String> listed = ids("/api/v1/training-jobs", "id", problems);
        if (!listed.equals(jobs)) {
            problems.add("the service lists " + listed.size() + " jobs, the soak submitted " + jobs.size());
        }
        List<String> trainedBy = modelJobIds();
        if (trainedBy.size() != succeeded.size() || !new HashSet<>(trainedBy).equals(succeeded)) {
            problems.add(trainedBy.size() + " trained models for " + succeeded.size() + " succeeded jobs");
        }
        if (!serverErrors.isEmpty()) {
            problems.add(serverErrors.size() + " answers were 5xx, first: " + serverErrors.get(0));
        }
        if (!heap.flat()) {
            problems.add("the heap grew: " + heap);
        }
        return new Checks(states, attempts, listed.size(), trainedBy.size(), problems);
    }

    /** Every value of {@code field} across the pages of a listing. */
    private Set<String> ids(String path, String field, List<String> problems) throws Exception {
        Set<String> all = new HashSet<>();
        for (int page = 0; ; page++) {
            String body = expect(call("GET", path + "?size=100&page=" + page, null, null), 200).body();
            List<String> found = values(itemsOf(body), field);
            for (String id : found) {
                if (!all.add(id)) {
                    problems.add(path + " lists " + id + " twice");
                }
            }
            if (found.size() < 100) {
                return all;
            }
        }
    }

    /** The jobId of every model that has one (imported ones have none), duplicates kept: one per model. */
    private List<String> modelJobIds() throws Exception {
        Pattern model = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"jobId\":(?:null|\"([^\"]+)\")");
        List<String> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            String body = expect(call("GET", "/api/v1/models?size=100&page=" + page, null, null), 200).body();
            Matcher m = model.matcher(itemsOf(body));
            int found = 0;
            for (; m.find(); found++) {
                if (m.group(2) != null) {
                    all.add(m.group(2));
                }
            }
            if (found < 100) {
                return all;
            }
        }
    }

    private static String itemsOf(String page) {
        int start = page.indexOf("\"items\":[");
        return start < 0 ? "" : page.substring(start);
    }

    private void summary(Duration length, Heap heap, Checks checks) {
        System.out.printf(Locale.ROOT, "%nSOAK %d min on %s, load average after: %.2f%n", length.toMinutes(),
                cpuModel(), loadAverage());
        System.out.println("SOAK operations: " + new java.util.TreeMap<>(operations));
        System.out.println("SOAK answers by status: " + new java.util.TreeMap<>(statuses));
        System.out.printf("SOAK jobs: %d submitted (%d Idempotency-Key replays, none a new job), %d listed, by state %s,"
                + " attempts %s%n", jobs.size(), replays.get(), checks.listed(), new java.util.TreeMap<>(checks.states()),
                checks.attempts());
        System.out.printf("SOAK models trained: %d (= succeeded jobs: %s); event streams: %d, final events: %d%n",
                checks.trainedModels(), checks.states().getOrDefault("SUCCEEDED", 0) == checks.trainedModels(),
                streams.get(), finals.get());
        System.out.println("SOAK heap: " + heap);
        System.out.println("SOAK 5xx answers: " + serverErrors.size());
        if (checks.ok()) {
            System.out.println("SOAK PASSED");
        } else {
            System.out.println("SOAK FAILED:");
            checks.problems().stream().limit(30).forEach(p -> System.out.println("  " + p));
        }
    }

    // ---------------------------------------------------------------- the heap

    /** Heap samples every 10 s, and heap used after a forced GC in the first and in the last minute. */
    private static final class Heap {
        final List<long[]> samples = new CopyOnWriteArrayList<>();
        long first;
        long last;

        void sample(Soak soak) throws Exception {
            samples.add(new long[] {soak.metric("jvm.memory.used?tag=area:heap"), soak.metric("jvm.gc.live.data.size")});
        }

        /** Flat: the last minute's post-GC heap at most 64 MB or 50 % over the first minute's. */
        boolean flat() {
            return last <= first + Math.max(64L << 20, first / 2);
        }

        @Override
        public String toString() {
            List<long[]> s = new ArrayList<>(samples);
            String live = s.size() < 2 ? "n/a" : mb(s.get(Math.min(6, s.size() - 1))[1]) + " -> " + mb(s.get(s.size() - 1)[1]);
            long max = s.stream().mapToLong(x -> x[0]).max().orElse(0);
            return String.format(Locale.ROOT, "used after GC %s (minute 1) -> %s (last minute); jvm.gc.live.data.size"
                    + " %s; most heap used in a sample %s; %d samples", mb(first), mb(last), live, mb(max), s.size());
        }
    }

    private long heapAfterGc() throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        return metric("jvm.memory.used?tag=area:heap");
    }

    private long metric(String name) throws Exception {
        String body = expect(call("GET", "/actuator/metrics/" + name, null, null), 200).body();
        Matcher m = Pattern.compile("\"value\":([0-9.eE+-]+)").matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    // ---------------------------------------------------------------- HTTP

    record Response(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private Response call(String method, String path, String type, String body) throws Exception {
        return call(method, path, type, body, Map.of());
    }

    private Response call(String method, String path, String type, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        headers.forEach(request::header);
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        record(r.statusCode(), method + " " + path.replaceAll("[0-9a-f-]{36}", "{id}").replaceAll("\\?.*", ""));
        if (STATUS_5XX.matcher(Integer.toString(r.statusCode())).matches()) {
            serverErrors.add(method + " " + path + " -> " + r.statusCode() + " " + clip(r.body()));
        }
        return new Response(r.statusCode(), r.headers().map(), r.body());
    }

    private void record(int status, String what) {
        statuses.computeIfAbsent(status + " " + what, k -> new AtomicLong()).incrementAndGet();
    }

    private void count(String name) {
        operations.computeIfAbsent(name.replaceAll("-\\d$", ""), k -> new AtomicLong()).incrementAndGet();
    }

    private Response expect(Response r, int... wanted) {
        for (int w : wanted) {
            if (r.status() == w) {
                return r;
            }
        }
        throw new IllegalStateException("answered " + r.status() + ": " + clip(r.body()));
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (call("GET", "/actuator/health/readiness", null, null).status() == 200) {
                    statuses.clear();
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not ready within 3 minutes");
    }

    // ---------------------------------------------------------------- the service process

    /** The packaged service on a free loopback port; its log goes to a file. */
    record Service(Process process, int port, Path log) {

        static Service start(String jar, List<String> args, Path log) throws IOException {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of("java", "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                    "-jar", jar, "--server.address=127.0.0.1", "--server.port=" + port));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            System.out.printf("started the service (pid %d) on 127.0.0.1:%d, log %s%n", p.pid(), port, log);
            return new Service(p, port, log);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------- estimate vs actual

    /** The dry run's estimate of three jobs beside what they did (see the class comment). */
    private static final class Estimates {

        private static final String RINGS_DATA = """
                {"name": "reference rings", "seed": 7, "source": {"type": "rings", "positives": 2000,
                 "negatives": 2000, "innerRadius": 5.0, "outerRadius": 8.0, "noise": 1.0}}""";
        private static final String LINEAR_DATA = """
                {"name": "reference linear", "seed": 42, "source": {"type": "linear", "samples": 400,
                 "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0, "low": -10, "high": 10}}""";
        private static final String SMALL_DATA = """
                {"name": "64 rows", "seed": 1, "source": {"type": "linear", "samples": 64, "weights": [1.0, 2.0]}}""";
        private static final List<String[]> JOBS = List.of(
                new String[] {"rings 2-4-8-1, SGD, 600 epochs, batch 100, 4 000 rows", RINGS_DATA, """
                        {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [4, 8], "activation": "relu",
                         "output": "sigmoid", "initializer": "truncated_normal"}, "loss": "binary_crossentropy",
                         "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 600, "batchSize": 100,
                         "seed": 1}"""},
                new String[] {"linear, SGD, 20 epochs, batch 10, 400 rows", LINEAR_DATA, """
                        {"datasetId": "%s", "model": {"type": "linear", "initializer": "normal"}, "loss": "half_mse",
                         "optimizer": {"type": "sgd", "learningRate": 0.001}, "epochs": 20, "batchSize": 10,
                         "seed": 1}"""},
                new String[] {"mlp [2048, 2048], Adam, 4 epochs, batch 8, 64 rows", SMALL_DATA, """
                        {"datasetId": "%s", "model": {"type": "mlp", "hiddenLayers": [2048, 2048]}, "loss": "mse",
                         "optimizer": {"type": "adam", "learningRate": 0.001}, "epochs": 4, "batchSize": 8,
                         "seed": 1}"""});

        static void run(String jar) throws Exception {
            List<long[]> actual = pass(jar, false);
            List<long[]> checkpoints = pass(jar, true);
            System.out.printf("%nESTIMATE vs ACTUAL (PostgreSQL; -Xmx1g; live heap = heap used after a GC mid-job"
                    + " minus after a GC before it)%n");
            for (int i = 0; i < JOBS.size(); i++) {
                long[] a = actual.get(i);
                long[] c = checkpoints.get(i);
                System.out.printf(Locale.ROOT, "%s:%n  estimate: memory %s, checkpoint %s, %.2f s%n"
                        + "  actual:   live heap %s, checkpoint %s (%d seen in the every-epoch run), %.2f s%n",
                        JOBS.get(i)[0], mb(a[0]), bytes(a[1]), a[2] / 1000.0,
                        a[3] < 0 ? "n/a (ended before half its estimate)" : mb(a[3]), bytes(c[4]), c[5],
                        a[6] / 1000.0);
            }
        }

        /**
         * One service on a fresh schema; per job {estimated memory, estimated checkpoint, estimated ms, live heap,
         * largest checkpoint seen, checkpoints seen, ms from startedAt to finishedAt}.
         */
        static List<long[]> pass(String jar, boolean everyEpoch) throws Exception {
            String schema = "soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            psql("CREATE SCHEMA " + schema);
            List<String> args = new ArrayList<>(List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test"
                    + "?currentSchema=" + schema, "--spring.datasource.username=postgres",
                    "--spring.datasource.password=", "--tapeflow.training.workers=1"));
            if (everyEpoch) {
                args.add("--tapeflow.training.checkpoint-interval=0s");
            }
            Service service = Service.start(jar, args, Files.createTempFile("tapeflow-estimates", ".log"));
            try {
                Soak soak = new Soak(service.port(), service.process().pid());
                soak.awaitReady();
                List<long[]> results = new ArrayList<>();
                for (String[] job : JOBS) {
                    if (!everyEpoch) {
                        measure(soak, schema, job[1], job[2], false); // warm-up: a first job also pays the JIT
                    }
                    results.add(measure(soak, schema, job[1], job[2], everyEpoch));
                }
                return results;
            } finally {
                service.stop();
                psql("DROP SCHEMA " + schema + " CASCADE");
            }
        }

        static long[] measure(Soak soak, String schema, String data, String job, boolean everyEpoch) throws Exception {
            String dataset = field(soak.expect(soak.call("POST", "/api/v1/datasets", JSON, data), 201).body(), "id");
            String body = job.formatted(dataset);
            String dry = soak.expect(soak.call("POST", "/api/v1/training-jobs?dryRun=true", JSON, body), 200).body();
            long memory = Long.parseLong(number(dry, "memoryBytes"));
            long checkpoint = Long.parseLong(number(dry, "checkpointBytes"));
            long expectedMillis = (long) (Double.parseDouble(number(dry, "expectedSeconds")) * 1000);
            long baseline = soak.heapAfterGc();
            String id = field(soak.expect(soak.call("POST", "/api/v1/training-jobs", JSON, body), 202).body(), "id");
            long live = 0;
            long largest = 0;
            Set<String> seen = new HashSet<>();
            String state = "QUEUED";
            boolean gcDone = false;
            long started = System.nanoTime();
            while (!Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
                if (!everyEpoch && !gcDone && state.equals("RUNNING")
                        && System.nanoTime() - started > expectedMillis * 500_000L) {
                    live = soak.heapAfterGc() - baseline; // half way through, as estimated
                    gcDone = true;
                }
                if (everyEpoch) {
                    String row = psql("SELECT epoch || ' ' || size_bytes FROM " + schema
                            + ".training_job_checkpoints WHERE job_id = '" + id + "'");
                    if (!row.isBlank()) {
                        seen.add(row.split(" ")[0]);
                        largest = Math.max(largest, Long.parseLong(row.split(" ")[1]));
                    }
                }
                Thread.sleep(everyEpoch ? 20 : 50);
                state = field(soak.call("GET", "/api/v1/training-jobs/" + id, null, null).body(), "state");
            }
            String done = soak.call("GET", "/api/v1/training-jobs/" + id, null, null).body();
            long millis = Duration.between(Instant.parse(field(done, "startedAt")), Instant.parse(field(done,
                    "finishedAt"))).toMillis();
            return new long[] {memory, checkpoint, expectedMillis, gcDone ? live : -1, largest, seen.size(), millis};
        }

        static String psql(String sql) throws Exception {
            Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atqc", sql)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql: " + out);
            }
            return out;
        }

        static String bytes(long n) {
            return n < 1 << 20 ? String.format(Locale.ROOT, "%,d B", n) : mb(n);
        }
    }

    // ---------------------------------------------------------------- small things

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + clip(json));
        }
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + clip(json));
        }
        return m.group(1);
    }

    /** Every string value of {@code name} in {@code json}, in order. */
    private static List<String> values(String json, String name) {
        List<String> all = new ArrayList<>();
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        while (m.find()) {
            all.add(m.group(1));
        }
        return all;
    }

    private static <T> T any(java.util.Collection<T> from) {
        List<T> copy = new ArrayList<>(from);
        return copy.isEmpty() ? null : copy.get(ThreadLocalRandom.current().nextInt(copy.size()));
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            sleepMillis(TimeUnit.NANOSECONDS.toMillis(left));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
