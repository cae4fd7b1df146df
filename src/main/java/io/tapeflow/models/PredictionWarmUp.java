package io.tapeflow.models;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.tapeflow.engine.Rng;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Metric;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Standardization;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends prediction requests to the service's own port once it is ready, so that the first predictions a user sends
 * find more of their path compiled: on two cores the first 10 s of one-row requests ran at a third to a half of the
 * next 10 s' rate, the JIT compiling Tomcat's, Spring MVC's, Jackson's and the engine's code on the way, and full
 * speed took 30 s of load. Run for 15 s of an idle start, they bring a user's predictions on a Zen 4 to 4 100–5 900
 * requests/s in their first 10 s and 5 600–11 500 in the next (full speed is about 10 000 there; before, 3 100–3 400
 * and 4 200–4 700), the user's own job requests before them deoptimizing some of the code the two share
 * (docs/benchmarks.md). The requests go the whole way (HTTP, the filters, the body's parsing, the model, the
 * answer's JSON), to a model the warm-up serves from the model cache under a random id for its duration and
 * never stores ({@link ModelService#serveUnstored}): nothing is written, nothing shows in lists, and no one else
 * can name it. Nor do they show in the metrics: each carries this JVM's random {@link #MARK_HEADER}, and
 * {@link ModelsConfiguration} tags the observations of such requests as they start and drops the meters so tagged,
 * so that the metrics' code is warmed too.
 *
 * <p>It ends at its deadline, when the caller says stop (at the first prediction a user asks for, among others: a
 * replica restarted behind a load balancer gets them at once, the cores are theirs then, and their requests warm
 * the same code), or at the first answer that is not a 200 (API keys configured: the warm-up has none; a port it
 * cannot reach; TLS), saying so in one line. Only speed is at stake.
 */
public final class PredictionWarmUp {

    static final String MARK_HEADER = "X-Tapeflow-Warm-Up";
    private static final Logger log = LoggerFactory.getLogger(PredictionWarmUp.class);
    /** Random per JVM, so no client can hide its own requests from the metrics by sending it. */
    private static final String MARK = UUID.randomUUID().toString();
    private static final int CLIENT_THREADS = 2;
    private static final int TIMEOUT_MILLIS = 5_000;
    /** The shapes users send: one row, a few rows, rows as objects, columns. */
    private static final String[] BODIES = {
        "{\"instances\": [[0.25, -0.5]]}",
        "{\"instances\": [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6], [0.7, 0.8], [-0.9, 0.05]]}",
        "{\"instances\": [{\"x1\": 0.3, \"x2\": -0.2}]}",
        "{\"inputs\": {\"x1\": [0.3, 0.6], \"x2\": [-0.2, 0.1]}}",
    };

    private PredictionWarmUp() {
    }

    /**
     * Requests until the deadline or {@code stop} (which should include {@link #usersPredicting}: the cores are the
     * user's then), on {@link #CLIENT_THREADS} keep-alive connections (one would leave a core idle while the other
     * waits for the answer), counting those answered in {@code answered} as they come.
     */
    public static void run(ApplicationContext service, BooleanSupplier stop, long deadlineNanos, AtomicInteger answered)
            throws InterruptedException {
        Environment environment = service.getEnvironment();
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null || port <= 0) {
            return; // no web server (a test's context without one)
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(host(environment), port);
        } catch (UnknownHostException e) {
            return;
        }
        ModelService models = service.getBean(ModelService.class);
        StoredModel row = classifier(service.getBean(JsonMapper.class));
        models.serveUnstored(row);
        try {
            String contextPath = service instanceof WebApplicationContext web && web.getServletContext() != null
                    ? web.getServletContext().getContextPath() : "";
            send(address, requests(contextPath + "/api/v1/models/" + row.id() + "/predictions"), stop, deadlineNanos,
                    answered);
        } finally {
            models.evict(row.id());
        }
    }

    /** Whether anyone but the warm-up has asked {@code service} for predictions since it started. */
    public static BooleanSupplier usersPredicting(ApplicationContext service) {
        return service.getBean(ModelService.class)::usersPredicting;
    }

    /** Loopback, unless the service listens on one address only. */
    private static InetAddress host(Environment environment) throws UnknownHostException {
        String address = environment.getProperty("server.address");
        InetAddress listening = address == null || address.isBlank() ? null : InetAddress.getByName(address);
        return listening == null || listening.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : listening;
    }

    /** The HTTP/1.1 requests, as bytes: a raw socket costs the client almost nothing beside the service. */
    private static byte[][] requests(String path) {
        byte[][] requests = new byte[BODIES.length][];
        for (int i = 0; i < BODIES.length; i++) {
            byte[] body = BODIES[i].getBytes(StandardCharsets.UTF_8);
            requests[i] = ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + MARK_HEADER + ": " + MARK + "\r\nContent-Length: " + body.length + "\r\n\r\n" + BODIES[i])
                    .getBytes(StandardCharsets.UTF_8);
        }
        return requests;
    }

    private static void send(InetSocketAddress address, byte[][] requests, BooleanSupplier stop, long deadlineNanos,
            AtomicInteger answered) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            int slot = t;
            Thread thread = new Thread(() -> connection(address, requests, slot, stop, deadlineNanos, answered),
                    "tapeflow-prediction-warm-up-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * One client's requests, the shapes in turn, on keep-alive connections: a new one when the service closes one
     * (its keep-alive limit); it ends at any answer but a 200 with a Content-Length, or a connection that answered
     * nothing.
     */
    private static void connection(InetSocketAddress address, byte[][] requests, int slot, BooleanSupplier stop,
            long deadlineNanos, AtomicInteger answered) {
        int mine = 0;
        int i = slot;
        try {
            for (int before = -1; before < mine && !over(stop, deadlineNanos);) {
                before = mine;
                try (Socket socket = new Socket()) {
                    socket.connect(address, TIMEOUT_MILLIS);
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    for (int status = 200; status == 200 && !over(stop, deadlineNanos); i++) {
                        out.write(requests[i % requests.length]);
                        out.flush();
                        status = answer(in);
                        if (status == 200) {
                            mine++;
                            answered.incrementAndGet();
                        } else if (status > 0) {
                            log.info("Prediction warm-up ended at a {} answer (API keys or a servlet path set)",
                                    status);
                            return;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.info("Prediction warm-up ended: {}", e.toString()); // a port it cannot reach, TLS, a closing service
        }
    }

    private static boolean over(BooleanSupplier stop, long deadlineNanos) {
        return stop.getAsBoolean() || System.nanoTime() - deadlineNanos >= 0;
    }

    /** Whether a request is one of this warm-up's own (null: none). */
    static boolean sentByWarmUp(HttpServletRequest request) {
        return request != null && MARK.equals(request.getHeader(MARK_HEADER));
    }

    /**
     * Reads one answer and drops its body; its status, or -1 where the connection ended first or the answer has
     * no Content-Length (a chunked one, which this reader does not follow: the caller opens a new connection).
     */
    static int answer(InputStream in) throws IOException {
        String status = line(in);
        long length = -1;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).trim());
            }
        }
        if (status == null || length < 0 || !status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            return -1;
        }
        in.skipNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    /** One header line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /**
     * A rings-shaped classifier (2-4-8-1, relu, sigmoid, standardized, as the training warm-up's sigmoid fits),
     * its document in the form a job stores, without columns, class names or training details.
     */
    static StoredModel classifier(JsonMapper json) {
        Rng rng = new Rng(7);
        float[] x = {-1, -1, 1, 1, -1, 1, 1, -1};
        Sequential model = Sequential.mlp(2, new int[] {4, 8}, Activation.RELU, 1, Activation.SIGMOID,
                Initializer.TRUNCATED_NORMAL, rng).withStandardization(Standardization.fit(x, 4, 2, 4));
        ModelDocument.Signature signature = new ModelDocument.Signature(2, 1, List.of("x1", "x2"), List.of("y"),
                "classifier", (double) Metric.BINARY_CUT_OFF, List.of(List.of(-1f, 1f), List.of(-1f, 1f)), null, null);
        ModelDocument doc = new ModelDocument(ModelDocument.FORMAT, ModelDocument.VERSION,
                ModelCodec.architecture("mlp", model), signature, ModelCodec.parameters(model), null);
        return new StoredModel(UUID.randomUUID(), null, null, "classifier", "TRAINED", null,
                json.writeValueAsString(doc));
    }
}
