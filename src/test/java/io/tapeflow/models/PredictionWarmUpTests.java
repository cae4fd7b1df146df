package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The warm-up's model is one an import would accept and answers from the cache alone, its own predictions do not
 * count as a user's, and its reader of answers; TrainingWarmUpH2Tests sends its requests in a service.
 */
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
    void itsModelAnswersFromTheCacheAndOnlyOtherModelsCountAsUsersPredicting() {
        JsonMapper json = JsonMapper.builder().build();
        ModelService service = new ModelService(null, null, json,
                new ModelsProperties(10_000, 1_000_000, DataSize.ofMegabytes(1)));
        StoredModel warmUp = PredictionWarmUp.classifier(json);
        service.serveUnstored(warmUp);

        PredictionResponse answer = service.predict(warmUp.id(), json.readTree("{\"instances\": [[0.25, -0.5]]}"),
                false);

        assertThat(answer.predictions()).hasDimensions(1, 1);
        assertThat(service.usersPredicting()).as("the warm-up's own predictions").isFalse();

        service.serveUnstored(PredictionWarmUp.classifier(json)); // another id is the warm-up's now
        service.predict(warmUp.id(), json.readTree("{\"instances\": [[0.25, -0.5]]}"), false);
        assertThat(service.usersPredicting()).isTrue();
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
