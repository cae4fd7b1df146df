package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tapeflow.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CsvParserTests {

    private static DatasetValues parse(String csv, String... labels) {
        return CsvParser.parse(csv.getBytes(StandardCharsets.UTF_8), List.of(labels));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        DatasetValues values = parse("\"a,1\",\"b \"\"q\"\"\",\"multi\nline\"\n1,2,3\n", "multi\nline");
        assertThat(values.featureNames()).containsExactly("a,1", "b \"q\"");
        assertThat(values.labelNames()).containsExactly("multi\nline");
        assertThat(values.features()).containsExactly(1f, 2f);
        assertThat(values.labels()).containsExactly(3f);
    }

    @Test
    void lineNumbersCountLinesInsideQuotedFields() {
        assertThatThrownBy(() -> parse("\"x\ny\",z\n1,2\n3,bad\n", "z"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).errors().get(0).message()).contains("line 4"))
                .satisfies(e -> assertThat(((ApiException) e).errors().get(0).field()).isEqualTo("rows[1].z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1|1.0", "-2.5|-2.5", "+3|3.0", ".5|0.5", "5.|5.0", "1e3|1000.0",
            "2E-2|0.02", "' 7 '|7.0"})
    void acceptsDecimalNumbers(String text, float expected) {
        assertThat(parse("x,y\n" + text + ",0\n", "y").features()).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0x10", "1f", "1d", "NaN", "inf", "-Infinity", "1,5", "--1", "e5", "1e"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> parse("x,y\n\"" + text + "\",0\n", "y")).isInstanceOf(ApiException.class);
    }
}
