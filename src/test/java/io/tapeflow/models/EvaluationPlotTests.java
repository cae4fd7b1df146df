package io.tapeflow.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The report pictures are well-formed XML whatever the class names hold, and show what they claim to. */
class EvaluationPlotTests {

    static final List<String> NAMES = List.of("a<b & \"c\"\u0001\u0007", "\uD800 lone ]]> 😀", "x".repeat(100));

    static EvaluationResponse report(EvaluationKind kind, float[] labels, float[] outputs, int rows, int width) {
        EvaluationBody body = Evaluation.report(kind, null, labels, outputs, rows, 1, width,
                kind == EvaluationKind.BINARY ? NAMES.subList(0, 2) : NAMES);
        return EvaluationResponse.of(UUID.randomUUID(), UUID.randomUUID(), null, EvaluationRepository.DATASET,
                Instant.now(), body);
    }

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theHeatMapHoldsEveryCountAndEveryNameEscaped() throws Exception {
        float[] outputs = {0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.3f, 0.3f, 0.4f, 0.9f, 0.05f, 0.05f};
        EvaluationResponse e = report(EvaluationKind.MULTICLASS, new float[] {0, 1, 2, 2}, outputs, 4, 3);
        Document doc = parse(EvaluationPlot.confusionMatrix(e));
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains("a<b & \"c\"", " lone ]]> 😀", "Predicted class", "True class", "accuracy 0.7500");
        assertThat(text).doesNotContain("\u0001", "\uD800");
        assertThat(doc.getElementsByTagName("rect").getLength()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void theRocCurveHasTheDiagonalAndTheAucInTheTitle() throws Exception {
        EvaluationResponse e = report(EvaluationKind.BINARY, new float[] {0, 0, 1, 1},
                new float[] {0.1f, 0.6f, 0.4f, 0.9f}, 4, 1);
        Document doc = parse(EvaluationPlot.roc(e));
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("ROC curve, AUC = 0.7500");
        assertThat(doc.getElementsByTagName("line").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(1);
    }

    @Test
    void escapingKeepsPairedSurrogatesAndDropsWhatXmlCannotHold() {
        assertThat(io.tapeflow.web.SvgText.escape("<&>\"")).isEqualTo("&lt;&amp;&gt;&quot;");
        assertThat(io.tapeflow.web.SvgText.escape("😀\t\n")).isEqualTo("😀\t\n");
        assertThat(io.tapeflow.web.SvgText.escape("\u0000\r\uFFFE\uFFFF\uDC00x\uD800")).isEqualTo("x");
    }
}
