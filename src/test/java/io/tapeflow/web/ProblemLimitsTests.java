package io.tapeflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.xml.sax.InputSource;

/** Issue #14: error lists are capped in one place, and SVG text is escaped by one rule. */
class ProblemLimitsTests {

    private static List<FieldProblem> errors(int n) {
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            errors.add(new FieldProblem("architecture.hiddenLayers[" + i + "]", "must be between 1 and 65536"));
        }
        return errors;
    }

    @Test
    void anApiExceptionKeepsTheFirstHundredErrorsAndCountsTheRest() {
        ApiException e = ApiException.badRequest(errors(1_000_001));
        assertThat(e.errors()).hasSize(ApiException.MAX_ERRORS);
        assertThat(e.truncated()).isEqualTo(1_000_001 - ApiException.MAX_ERRORS);
        assertThat(e.getMessage()).hasSizeLessThan(1_000).endsWith("; and 999991 more");
        assertThat(ApiException.badRequest(errors(3)).truncated()).isZero();
    }

    @Test
    void everyProblemBodyIsCapped() {
        ProblemDetail body = ProblemDetailsAdvice.body(HttpStatus.BAD_REQUEST, "Invalid request", "x", errors(250), "/p");
        assertThat((List<?>) body.getProperties().get("errors")).hasSize(ApiException.MAX_ERRORS);
        assertThat(body.getProperties().get("truncated")).isEqualTo(150);
        ProblemDetail small = ProblemDetailsAdvice.body(HttpStatus.BAD_REQUEST, "Invalid request", "x", errors(2), "/p");
        assertThat((List<?>) small.getProperties().get("errors")).hasSize(2);
        assertThat(small.getProperties()).doesNotContainKey("truncated");
    }

    @Test
    void aProblemBodyQuotesAtMostAFewKilobytes() {
        String huge = "n".repeat(5_000_000);
        ProblemDetail body = ProblemDetailsAdvice.body(HttpStatus.BAD_REQUEST, "Invalid request", huge,
                List.of(new FieldProblem(huge, "is not a feature " + huge)), "/p");
        assertThat(body.getDetail()).hasSizeLessThan(5_000).endsWith("more characters)");
        FieldProblem error = (FieldProblem) ((List<?>) body.getProperties().get("errors")).get(0);
        assertThat(error.field().length() + error.message().length()).isLessThan(2_100);
    }

    @Test
    void svgTextIsWellFormedXmlWhateverItHolds() throws Exception {
        assertThat(SvgText.escape("<&>\"")).isEqualTo("&lt;&amp;&gt;&quot;");
        assertThat(SvgText.escape("😀\t\n")).isEqualTo("😀\t\n");
        assertThat(SvgText.escape("\u0000\r\uFFFE\uFFFF\uDC00x\uD800")).isEqualTo("x");
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0xFFFF; c++) {
            every.append(c);
        }
        String text = SvgText.escape(every.toString());
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text title=\"" + text + "\">" + text + "</text></svg>";
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }
}
