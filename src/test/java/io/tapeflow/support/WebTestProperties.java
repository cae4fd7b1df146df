package io.tapeflow.support;

/** Settings shared by {@link PostgresWebTest} and {@link H2WebTest}. */
public final class WebTestProperties {

    /** A small body limit so the 413 tests send little; Tomcat still drains such a body and the client reads the answer. */
    public static final String LIMITS = "tapeflow.limits.max-request-bytes=1MB";

    /** A short upload deadline, so the 408 tests wait little; every other test's upload takes milliseconds. */
    public static final String UPLOADS = "tapeflow.limits.upload-timeout=10s";

    /** Two training workers whatever the machine's core count, so the queue tests see the same pool everywhere. */
    public static final String TRAINING = "tapeflow.training.workers=2";

    private WebTestProperties() {
    }
}
