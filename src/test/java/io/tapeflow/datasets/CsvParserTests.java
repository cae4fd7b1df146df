package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tapeflow.engine.Rng;
import io.tapeflow.web.ApiException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Any table, written with random quoting, line ends, padding and a BOM, reads back exactly. */
    @RepeatedTest(50)
    void writtenTablesReadBackExactly(RepetitionInfo repetition) {
        Rng rng = new Rng(repetition.getCurrentRepetition());
        int rows = 1 + rng.nextInt(20);
        int columns = 2 + rng.nextInt(5);
        String newline = rng.nextInt(2) == 0 ? "\n" : "\r\n";
        StringBuilder csv = new StringBuilder(rng.nextInt(2) == 0 ? "\uFEFF" : "");
        String[] names = new String[columns];
        for (int c = 0; c < columns; c++) {
            names[c] = "col \"" + c + "\", " + (rng.nextInt(2) == 0 ? "a" : "line\nbreak");
            csv.append(c == 0 ? "" : ",").append('"').append(names[c].replace("\"", "\"\"")).append('"');
        }
        csv.append(newline);
        float[] values = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                float v = rng.normal(0f, 1000f);
                values[r * columns + c] = v;
                String text = Float.toString(v);
                text = rng.nextInt(3) == 0 ? "\"" + text + "\"" : rng.nextInt(2) == 0 ? " " + text + " " : text;
                csv.append(c == 0 ? "" : ",").append(text);
            }
            csv.append(newline);
            if (rng.nextInt(5) == 0) {
                csv.append(newline); // blank lines are skipped
            }
        }
        DatasetValues parsed = parse(csv.toString(), names[columns - 1]);
        assertThat(parsed.rows()).isEqualTo(rows);
        assertThat(parsed.labelNames()).containsExactly(names[columns - 1]);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns - 1; c++) {
                assertThat(parsed.features()[r * (columns - 1) + c]).isEqualTo(values[r * columns + c]);
            }
            assertThat(parsed.labels()[r]).isEqualTo(values[r * columns + columns - 1]);
        }
    }
}
