package io.tapeflow.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

import io.tapeflow.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in a real browser against the whole service: the reference rings dataset created from the page, the
 * reference rings job submitted from the form (more epochs, so that it runs long enough to watch), its curves
 * gaining points from the event stream while it runs and surviving a reload, the model's plot and a prediction, and
 * a field error shown beside its field. Subclasses run it with and without API keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardTests {

    @LocalServerPort
    int port;

    Browser browser;

    /** Screenshot names start with this, so the two classes do not overwrite each other's. */
    abstract String name();

    /** What the page needs before its first call succeeds (an API key, say); nothing by default. */
    void signIn() {
    }

    @BeforeAll
    void start() {
        browser = new Browser(port);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void fromTheReferenceDatasetToAPredictionInTheBrowser() throws IOException {
        started = System.nanoTime();
        String dataset = createTheReferenceRings();
        aFieldErrorBesideItsField();
        String watched = watchALongRunThenCancelIt();
        String reference = trainTheReferenceJob(dataset);
        String model = plotAndPredict(dataset);
        compare(watched, reference);
        pageLoads(model);
        uploadACsvAndDeleteIt();
        onAPhone(reference);
    }

    /** The rings generator is the first choice, with the reference's values filled in. */
    private String createTheReferenceRings() {
        browser.open("#/datasets");
        signIn();
        browser.waitFor(By.id("dataset-form"));
        assertThat(browser.find(By.id("f-source-innerRadius")).getDomProperty("value")).isEqualTo("5");
        browser.find(By.id("create-dataset")).click();
        browser.waitFor(By.id("statistics"));
        String dataset = browser.driver.getCurrentUrl().replaceAll(".*#/datasets/", "");
        browser.until("the scatter plot has loaded", d -> browser.find(By.cssSelector("img.plot"))
                .getDomAttribute("data-loaded") != null);
        browser.waitFor(By.id("rows-table"));
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("reference rings");
        browser.screenshot(name() + "-dataset");
        mark("dataset");
        return dataset;
    }

    /** A bad value: the problem body's field error appears beside the field it names. */
    private void aFieldErrorBesideItsField() {
        browser.find(By.id("train")).click();
        browser.until("the dry-run estimate", d -> browser.find(By.id("estimate")).getText().contains("Parameters"));
        fillTheReferenceRingsJob();
        browser.type(By.id("f-epochs"), "0");
        browser.find(By.id("submit-job")).click();
        WebElement error = browser.waitFor(By.cssSelector("[data-field='epochs'] .field-error"));
        assertThat(error.getText()).contains("between 1 and");
        assertThat(browser.find(By.id("f-epochs")).getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot(name() + "-new-job-error");
    }

    /**
     * The longest run the service allows (the limit comes from the options, as the input's max): its curves gain
     * points from the event stream while it runs, a reload starts again from /metrics, and it can be cancelled.
     */
    private String watchALongRunThenCancelIt() {
        String longest = browser.find(By.id("f-epochs")).getDomAttribute("max");
        browser.type(By.id("f-epochs"), longest);
        browser.type(By.id("f-seed"), "2"); // another seed than the reference job's, so the compare chart shows two
        browser.until("the estimate clears the error", d -> browser.all(By.cssSelector(".field-error")).isEmpty()
                && browser.find(By.id("estimate")).getText().contains("Within the budget"));
        browser.screenshot(name() + "-new-job");
        browser.find(By.id("submit-job")).click();
        browser.until("the job page", d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$"));
        String watched = jobId();
        int first = pointsWhileRunning(1);
        int later = pointsWhileRunning(first + 1);
        assertThat(later).isGreaterThan(first);
        browser.driver.navigate().refresh();
        signInAgainIfAsked();
        int reloaded = pointsWhileRunning(later);
        pointsWhileRunning(reloaded + 1);
        browser.screenshot(name() + "-job-running");
        mark("watched a running job");
        browser.find(By.id("cancel-job")).click();
        browser.until("the job cancelled", d -> "CANCELLED".equals(browser.find(By.id("job-state")).getText()));
        return watched;
    }

    /** The reference's rings job itself, early stopping included, for a model. */
    private String trainTheReferenceJob(String dataset) {
        browser.open("#/jobs/new?dataset=" + dataset);
        browser.until("the dry-run estimate", d -> browser.find(By.id("estimate")).getText().contains("Parameters"));
        fillTheReferenceRingsJob();
        browser.type(By.id("f-epochs"), "100");
        browser.find(By.id("early-stopping-on")).click();
        browser.choose(By.id("f-earlyStopping-monitor"), "loss");
        browser.type(By.id("f-earlyStopping-patience"), "20");
        browser.type(By.id("f-earlyStopping-minDelta"), "0");
        String before = browser.driver.getCurrentUrl();
        browser.find(By.id("submit-job")).click();
        browser.until("the reference job's page", d -> d.getCurrentUrl().matches(".*#/jobs/[0-9a-f-]{36}$")
                && !d.getCurrentUrl().equals(before));
        String reference = jobId();
        browser.waitFor(By.id("model-link"));
        assertThat(browser.find(By.id("job-state")).getText()).isEqualTo("SUCCEEDED");
        browser.until("every epoch from /metrics", d -> browser.find(By.id("stream-note")).getText()
                .startsWith("Finished") || browser.find(By.id("stream-note")).getText().isEmpty());
        assertThat(points()).isPositive();
        browser.screenshot(name() + "-job");
        mark("reference job done");
        return reference;
    }

    /** The model's decision regions, a prediction with explain, and its evaluations where the service has them. */
    private String plotAndPredict(String dataset) {
        browser.find(By.id("model-link")).click();
        browser.until("the decision regions", d -> browser.all(By.cssSelector("img.plot[data-loaded]")).size() == 1);
        browser.type(By.id("instances"), "3, 4\n-8, 0.5");
        browser.find(By.id("explain")).click();
        browser.find(By.id("predict")).click();
        var rows = browser.waitFor(By.id("predictions-table")).findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(2);
        // inner ring → class 1, outer ring → class 0; explain adds a gradient column
        assertThat(rows.get(0).findElements(By.tagName("td")).get(3).getText()).isEqualTo("1");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(3).getText()).isEqualTo("0");
        assertThat(rows.get(0).findElements(By.tagName("td"))).hasSize(5);
        String model = browser.driver.getCurrentUrl().replaceAll(".*#/models/", "");
        int evaluations = new Http(port).send("GET", "/api/v1/models/" + model + "/evaluations", apiHeaders(), null)
                .status();
        browser.until("the evaluations section shown on a 200, hidden on a 404", d -> evaluations == 200
                ? browser.find(By.id("evaluations")).isDisplayed()
                : evaluations == 404 && !browser.find(By.id("evaluations")).isDisplayed());
        if (evaluations == 200) {
            browser.choose(By.id("f-datasetId"), dataset);
            browser.find(By.cssSelector("#evaluate-form button[type=submit]")).click();
            browser.until("a report with its confusion matrix and ROC curve", d -> browser.all(By.cssSelector(
                    ".evaluation img.plot[data-loaded]")).size() == 2);
        }
        browser.screenshot(name() + "-model");
        mark("prediction");
        return model;
    }

    /** Both jobs on one chart, smoothed over the faint raw curves, on a log scale, then over training time. */
    private void compare(String watched, String reference) {
        browser.open("#/jobs?ids=" + watched + "," + reference);
        browser.until("both jobs on the compare chart", d -> {
            String legend = browser.find(By.id("compare-chart")).getText();
            return legend.contains("job " + watched.substring(0, 8) + " (raw)")
                    && legend.contains("job " + reference.substring(0, 8) + " (raw)");
        });
        browser.find(By.id("log-scale")).click();
        browser.until("the log-scale chart", d -> !browser.all(By.cssSelector("#compare-chart .uplot")).isEmpty());
        browser.screenshot(name() + "-compare");
        browser.choose(By.id("x-axis"), "time");
        browser.until("the chart over training time", d -> !browser.all(By.cssSelector(
                "#compare-chart .chart[data-x='training time (s)'] .uplot")).isEmpty());
        mark("compare");
    }

    /** Fresh loads of each page, for the page-load figure. */
    private void pageLoads(String model) throws IOException {
        for (String[] page : new String[][] {{"datasets", "#/datasets"}, {"new-job", "#/jobs/new"},
                {"jobs", "#/jobs"}, {"model", "#/models/" + model}, {"models", "#/models"}}) {
            browser.driver.get("about:blank"); // a fresh document each time, not a hash change
            browser.open(page[1]);
            record(page[0], browser.loadTimes());
        }
    }

    /** A CSV upload, then its deletion (a second press confirms). */
    private void uploadACsvAndDeleteIt() throws IOException {
        Path csv = Files.createTempFile("tapeflow-page", ".csv");
        Files.writeString(csv, "size,price\n1,2.5\n2,4.5\n3,6.5\n");
        browser.open("#/datasets");
        browser.choose(By.id("dataset-kind"), "csv");
        browser.type(By.id("f-name"), "uploaded");
        browser.type(By.id("f-labels"), "price");
        browser.find(By.id("f-file")).sendKeys(csv.toAbsolutePath().toString());
        browser.find(By.id("create-dataset")).click();
        browser.until("the uploaded dataset", d -> browser.all(By.id("statistics")).size() == 1
                && "uploaded".equals(browser.find(By.tagName("h1")).getText()));
        Files.delete(csv);
        browser.find(By.id("delete-dataset")).click();
        browser.find(By.id("delete-dataset")).click();
        browser.until("back on the list", d -> d.getCurrentUrl().endsWith("#/datasets"));
        browser.waitFor(By.id("dataset-form"));
        mark("csv upload and delete");
    }

    /** A phone: one column, nothing wider than the screen but the tables, which scroll inside their box. */
    private void onAPhone(String job) {
        browser.resize(390, 844);
        browser.open("#/jobs/" + job);
        browser.waitFor(By.cssSelector(".charts .uplot"));
        assertThat(((Number) browser.script("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(((Number) browser.script("return window.innerWidth")).intValue());
        browser.screenshot(name() + "-phone-job");
        browser.resize(1280, 900);
    }

    /** The reference's rings request of http-examples/training.http, typed into the form. */
    private void fillTheReferenceRingsJob() {
        browser.choose(By.id("f-model-type"), "mlp");
        browser.type(By.id("f-model-hiddenLayers"), "4, 8");
        browser.choose(By.id("f-model-activation"), "relu");
        browser.choose(By.id("f-model-output"), "sigmoid");
        browser.choose(By.id("f-model-initializer"), "truncated_normal");
        browser.choose(By.id("f-loss"), "binary_crossentropy");
        browser.choose(By.id("f-optimizer-type"), "adam");
        browser.type(By.id("f-optimizer-learningRate"), "0.01");
        browser.type(By.id("f-batchSize"), "100");
        browser.type(By.id("f-seed"), "1");
        browser.choose(By.id("f-execution"), "graph");
    }

    /** Waits until the chart has at least {@code atLeast} points while the job is still running; returns the count. */
    private int pointsWhileRunning(int atLeast) {
        return browser.until("a running job with " + atLeast + "+ points", d -> {
            String state = browser.all(By.id("job-state")).isEmpty() ? "" : browser.find(By.id("job-state")).getText();
            assertThat(state).as("the job finished before the chart could be watched").isNotIn("SUCCEEDED", "FAILED");
            int n = points();
            return "RUNNING".equals(state) && n >= atLeast ? n : null;
        });
    }

    private long started = System.nanoTime();

    /** Where the walk's time goes, in the test output. */
    private void mark(String milestone) {
        System.out.printf(Locale.ROOT, "%s: %s after %.1f s%n", name(), milestone, (System.nanoTime() - started) / 1e9);
    }

    private String jobId() {
        return browser.driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
    }

    private int points() {
        Object n = browser.script("const c = document.querySelector('.charts');"
                + " return c && c.dataset.points ? Number(c.dataset.points) : 0");
        return ((Number) n).intValue();
    }

    void signInAgainIfAsked() {
    }

    /** The headers a direct API call of the test needs (the key, with keys on). */
    Map<String, String> apiHeaders() {
        return Map.of();
    }

    private void record(String page, double[] times) throws IOException {
        Files.createDirectories(Browser.SCREENSHOTS);
        String line = String.format(Locale.ROOT, "%s %s: view ready %.0f ms, load event %.0f ms%n", name(), page,
                times[0], times[1]);
        System.out.print(line);
        Files.writeString(Browser.SCREENSHOTS.resolve("page-load.txt"), line, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        assertThat(times[0]).as(page + " view ready (ms)").isLessThan(3000);
    }
}
