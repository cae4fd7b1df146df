package io.tapeflow.models;

import io.tapeflow.support.DatabaseInitializers;
import io.tapeflow.support.WebTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {WebTestProperties.LIMITS,
        WebTestProperties.TRAINING, ModelCacheBoundTests.CACHE})
@ContextConfiguration(initializers = DatabaseInitializers.H2.class)
class ModelCacheBoundH2Tests extends ModelCacheBoundTests {
}
