package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The warm-up's model is one an import would accept; TrainingWarmUpH2Tests sends its requests in a service. */
class PredictionWarmUpTests {

    @Test
    void itsModelIsAValidClassifierDocument() {
        JsonMapper json = JsonMapper.builder().build();
        StoredModel row = PredictionWarmUp.classifier(json);

        ModelDocument doc = json.readValue(row.document(), ModelDocument.class);

        assertThat(ModelCodec.check(doc)).isEmpty();
        assertThat(doc.signature().kind()).isEqualTo(row.kind()).isEqualTo("classifier");
        assertThat(ModelCodec.model(doc).predict(new float[] {0.25f, -0.5f}, 1)).hasSize(1);
    }

    @Test
    void readsKeepAliveAnswersAndSaysWhereTheyEnd() throws IOException {
        InputStream two = stream("HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
                + "{\"a\"}HTTP/1.1 200 \r\ncontent-length: 2\r\n\r\n{}");
        assertThat(PredictionWarmUp.answer(two)).isEqualTo(200);
        assertThat(PredictionWarmUp.answer(two)).as("the first body was read to its end").isEqualTo(200);
        assertThat(PredictionWarmUp.answer(two)).as("the connection's end").isEqualTo(-1);

        assertThat(PredictionWarmUp.answer(stream("HTTP/1.1 401 \r\nContent-Length: 2\r\n\r\n{}"))).isEqualTo(401);
        assertThat(PredictionWarmUp.answer(stream("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n"))).as("chunked: not followed").isEqualTo(-1);
        assertThat(PredictionWarmUp.answer(stream("HTTP/1.1 200 \r\nContent-"))).as("cut off").isEqualTo(-1);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
