package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tapeflow.TapeflowApplication;
import io.tapeflow.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An upload still arriving when the service stops is answered 503 at once, so a slow client cannot hold up the
 * graceful shutdown (it would wait up to the upload timeout, 60 s by default, past the 30 s shutdown phase).
 */
class UploadAtShutdownTests {

    @Test
    void anUploadStillArrivingAtShutdownIs503AndDoesNotHoldTheShutdownUp() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(TapeflowApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + TestDatabases.h2Url(),
                "--tapeflow.training.workers=1", "--tapeflow.limits.upload-timeout=60s");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        try (Socket upload = new Socket()) {
            upload.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            upload.setSoTimeout(30_000);
            upload.getOutputStream().write(("POST /api/v1/datasets?name=late&labels=y HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\nx,y\n1,2\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(500); // handled, and waiting for the rest of its body

            long start = System.nanoTime();
            app.close();
            Duration shutdown = Duration.ofNanos(System.nanoTime() - start);

            assertThat(read(upload.getInputStream())).startsWith("HTTP/1.1 503")
                    .contains("application/problem+json", "shutting down");
            assertThat(shutdown).as("the shutdown").isLessThan(Duration.ofSeconds(20));
        }
    }

    private static String read(InputStream in) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8);
    }
}
