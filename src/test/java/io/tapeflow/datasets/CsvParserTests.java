package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.tapeflow.engine.Rng;
import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;
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
        assertThatThrownBy(() -> parse("\"x\ny\",z\n1,2\n3,NaN\n", "z"))
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
    @CsvSource(delimiter = '|', value = {"NaN", "inf", "-Infinity", "+nan", "INF", "1e39"})
    void refusesNonFiniteNumbers(String text) {
        assertThatThrownBy(() -> parse("x,y\n1,0\n\"" + text + "\",0\n", "y")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).errors().get(0).field()).isEqualTo("rows[1].x"));
    }

    /** Not a number by the CSV rules: the column is categorical (one-hot), not refused. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0x10", "1f", "1d", "1,5", "--1", "e5", "1e"})
    void anythingElseMakesTheColumnCategorical(String text) {
        DatasetValues values = parse("x,y\n1,0\n\"" + text + "\",0\n", "y");
        assertThat(values.columns().get(0).type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(values.columns().get(0).categories()).containsExactlyInAnyOrder("1", text);
        assertThat(values.featureNames()).hasSize(2).allMatch(n -> n.startsWith("x_"));
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

    private static CsvParser.Table table(String csv, String... labels) {
        return CsvParser.read(csv.getBytes(StandardCharsets.UTF_8), List.of(labels));
    }

    static String pets() {
        try (var in = CsvParserTests.class.getResourceAsStream("/tables/pets.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void columnsAreTypedAndVocabulariesSorted() {
        List<Column> columns = table(pets(), "kind").columns(MissingPolicy.REFUSE, 256);
        assertThat(columns).containsExactly(
                Column.numeric("size", Column.FEATURE),
                new Column("colour", Column.FEATURE, ColumnType.CATEGORICAL, List.of("blue", "green", "red"), null),
                new Column("indoor", Column.FEATURE, ColumnType.BOOLEAN, null, null),
                Column.numeric("score", Column.FEATURE),
                new Column("kind", Column.LABEL, ColumnType.CATEGORICAL, List.of("cat", "dog"), null));
    }

    @Test
    void meanFillsNumbersWithTheMeanAndTheRestWithTheMostFrequent() {
        CsvParser.Table table = table(pets(), "kind");
        List<Column> columns = table.columns(MissingPolicy.MEAN, 256);
        assertThat(columns).extracting(Column::fill).containsExactly("3.6", "red", "true", "38.0", null);
        DatasetValues values = table.encode(columns);
        assertThat(values.featureNames())
                .containsExactly("size", "colour_blue", "colour_green", "colour_red", "indoor", "score");
        assertThat(values.features()).containsExactly(
                1f, 0f, 0f, 1f, 1f, 10f,
                2f, 1f, 0f, 0f, 0f, 38f,
                3.6f, 0f, 1f, 0f, 1f, 30f,
                4f, 0f, 0f, 1f, 1f, 40f,
                5f, 0f, 0f, 1f, 0f, 50f,
                6f, 0f, 0f, 1f, 1f, 60f);
        assertThat(values.labels()).containsExactly(0f, 1f, 0f, 1f, 0f, 1f);
    }

    @Test
    void mostFrequentFillsEveryColumnWithItsMostFrequentValueSmallestOnATie() {
        List<Column> columns = table(pets(), "kind").columns(MissingPolicy.MOST_FREQUENT, 256);
        assertThat(columns).extracting(Column::fill).containsExactly("1.0", "red", "true", "10.0", null);
        assertThat(table("a,b,c,y\nx,true,2,0\ny,false,2,0\n,,1,0\nz,,1,0\nx,,3,0\n", "y")
                .columns(MissingPolicy.MOST_FREQUENT, 256))
                .extracting(Column::fill).containsExactly("x", "false", "1.0", null);
    }

    @Test
    void refuseNamesEveryMissingCell() {
        CsvParser.Table table = table(pets(), "kind");
        assertThatThrownBy(() -> table.encode(table.columns(MissingPolicy.REFUSE, 256)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).errors()).extracting(FieldProblem::field)
                        .containsExactly("rows[1].score", "rows[2].size", "rows[3].indoor", "rows[4].colour"))
                .satisfies(e -> assertThat(((ApiException) e).errors().get(0).message())
                        .isEqualTo("is missing (line 3)"));
    }

    @Test
    void theVocabularyDoesNotDependOnTheRowOrder() {
        List<Column> forward = table("c,y\nb,1\na,2\nc,3\n", "y").columns(MissingPolicy.REFUSE, 256);
        List<Column> backward = table("c,y\nc,3\na,2\nb,1\n", "y").columns(MissingPolicy.REFUSE, 256);
        assertThat(forward).isEqualTo(backward);
        assertThat(forward.get(0).categories()).containsExactly("a", "b", "c");
    }

    @Test
    void aColumnOfNumbersWithOneWordIsCategorical() {
        List<Column> columns = table("x,y\n1,0\n2,0\nten,1\n", "y").columns(MissingPolicy.REFUSE, 256);
        assertThat(columns.get(0).categories()).containsExactly("1", "2", "ten");
    }
}
