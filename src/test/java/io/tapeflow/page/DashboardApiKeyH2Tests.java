package io.tapeflow.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tapeflow.support.DatabaseInitializers;
import io.tapeflow.support.WebTestProperties;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The same walk with API keys on (the properties of ApiKeyApiH2Tests, so the two share one context): the page asks
 * for the key once, on the first 401, and sends it on every call after that, the event stream and the plots too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {WebTestProperties.LIMITS,
        WebTestProperties.TRAINING, DashboardApiKeyH2Tests.PROPERTY})
@ContextConfiguration(initializers = DatabaseInitializers.H2.class)
class DashboardApiKeyH2Tests extends DashboardTests {

    static final String KEY = "s3cret";
    /** printf %s s3cret | sha256sum, as in ApiKeyApiTests */
    static final String PROPERTY = "tapeflow.security.api-key-hashes="
            + "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";

    @Override
    String name() {
        return "keyed";
    }

    @Override
    void signIn() {
        browser.waitFor(By.id("key-dialog"));
        browser.type(By.id("key-input"), "wrong");
        browser.find(By.id("key-submit")).click();
        // a refused key asks again, saying so
        browser.until("the dialog again, with the refusal", d -> browser.find(By.id("key-error")).isDisplayed());
        browser.type(By.id("key-input"), KEY);
        browser.find(By.id("key-submit")).click();
        browser.until("the dialog closed", d -> !browser.find(By.id("key-dialog")).isDisplayed());
        assertThat(browser.script("return sessionStorage.getItem('tapeflow.apiKey')")).isEqualTo(KEY);
    }

    @Override
    Map<String, String> apiHeaders() {
        return Map.of("X-API-Key", KEY);
    }

    @Override
    void signInAgainIfAsked() {
        // sessionStorage survives a reload of the tab: no second prompt
        assertThat(browser.find(By.id("key-dialog")).isDisplayed()).isFalse();
    }
}
