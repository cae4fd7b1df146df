package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue #14: the model cache is bounded in bytes (here 1 MB, each model 400 kB of float32 parameters): past the
 * bound the least used models are dropped and read again when asked for, and every model still answers.
 */
abstract class ModelCacheBoundTests {

    static final String CACHE = "tapeflow.models.cache-bytes=1MB";
    private static final String MODELS = "/api/v1/models";

    @LocalServerPort
    int port;

    @Autowired
    ModelService service;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theCacheHoldsAtMostItsBytesAndEveryModelStillAnswers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Http.Response imported = http.postJson(MODELS + "/import", ModelDocuments.linear(100, 1000));
            assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
            ids.add(imported.json().get("id").asString());
        }
        String instance = "{\"instances\": [[" + "1,".repeat(99) + "1]]}";
        for (int round = 0; round < 2; round++) {
            for (String id : ids) {
                Http.Response r = http.postJson(MODELS + "/" + id + "/predictions", instance);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("predictions").get(0).size()).isEqualTo(1000);
                assertThat(service.cachedBytes()).isLessThanOrEqualTo(1024 * 1024);
            }
        }
        assertThat(service.cachedBytes()).isGreaterThanOrEqualTo(4L * 100_000);
    }
}
