package io.tapeflow.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnEncodingTests {

    private static final Column COLOUR = new Column("colour", Column.FEATURE, ColumnType.CATEGORICAL,
            List.of("blue", "green", "red"), null);
    private static final Column SPECIES = new Column("species", Column.LABEL, ColumnType.CATEGORICAL,
            List.of("setosa", "versicolor", "virginica"), null);
    private static final Column INDOOR = new Column("indoor", Column.FEATURE, ColumnType.BOOLEAN, null, null);
    private static final Column SIZE = Column.numeric("size", Column.FEATURE);

    private static float[] encode(Column column, Object cell) {
        float[] out = new float[ColumnEncoding.width(column) + 2];
        out[0] = 7f;
        out[out.length - 1] = 7f;
        ColumnEncoding.encode(column, cell, out, 1);
        assertThat(out[0]).as("writes nothing before its offset").isEqualTo(7f);
        assertThat(out[out.length - 1]).as("writes nothing past its width").isEqualTo(7f);
        return java.util.Arrays.copyOfRange(out, 1, out.length - 1);
    }

    @Test
    void widthsAndNames() {
        assertThat(ColumnEncoding.width(COLOUR)).isEqualTo(3);
        assertThat(ColumnEncoding.width(SPECIES)).isEqualTo(1);
        assertThat(ColumnEncoding.width(INDOOR)).isEqualTo(1);
        assertThat(ColumnEncoding.width(SIZE)).isEqualTo(1);
        assertThat(ColumnEncoding.expandedNames(COLOUR)).containsExactly("colour_blue", "colour_green", "colour_red");
        assertThat(ColumnEncoding.expandedNames(SPECIES)).containsExactly("species");
        List<Column> all = List.of(SIZE, COLOUR, SPECIES, INDOOR);
        assertThat(ColumnEncoding.width(all, Column.FEATURE)).isEqualTo(5);
        assertThat(ColumnEncoding.width(all, Column.LABEL)).isEqualTo(1);
        assertThat(ColumnEncoding.withRole(all, Column.FEATURE)).containsExactly(SIZE, COLOUR, INDOOR);
        assertThat(ColumnEncoding.expandedNames(all, Column.FEATURE))
                .containsExactly("size", "colour_blue", "colour_green", "colour_red", "indoor");
    }

    @Test
    void categoricalFeatureIsOneHotAndOverwritesItsSlots() {
        assertThat(encode(COLOUR, "red")).containsExactly(0f, 0f, 1f);
        assertThat(encode(COLOUR, " blue ")).containsExactly(1f, 0f, 0f);
        float[] reused = {1f, 1f, 1f};
        ColumnEncoding.encode(COLOUR, "green", reused, 0);
        assertThat(reused).containsExactly(0f, 1f, 0f);
    }

    @Test
    void categoricalLabelIsTheClassIndex() {
        assertThat(encode(SPECIES, "setosa")).containsExactly(0f);
        assertThat(encode(SPECIES, "virginica")).containsExactly(2f);
    }

    @Test
    void unknownCategoryNamesTheKnownValues() {
        assertThatThrownBy(() -> encode(COLOUR, "purple")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown category 'purple'; known: [blue, green, red]");
    }

    @Test
    void longVocabulariesAreListedInPart() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(String.format("v%02d", i));
        }
        Column column = new Column("id", Column.FEATURE, ColumnType.CATEGORICAL, many, null);
        assertThatThrownBy(() -> encode(column, "x")).hasMessageContaining("v19, … (30 in all)]")
                .hasMessageNotContaining("v20");
    }

    @Test
    void numbersComeAsTextOrAsNumbers() {
        assertThat(encode(SIZE, "2.5")).containsExactly(2.5f);
        assertThat(encode(SIZE, " -1e2 ")).containsExactly(-100f);
        assertThat(encode(SIZE, 3)).containsExactly(3f);
        assertThat(encode(SIZE, 0.1)).containsExactly(0.1f);
        assertThatThrownBy(() -> encode(SIZE, "abc")).hasMessage("must be a number, got 'abc'");
        assertThatThrownBy(() -> encode(SIZE, "NaN")).hasMessage("must be a finite number, got 'NaN'");
        assertThatThrownBy(() -> encode(SIZE, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> encode(SIZE, 1e39)).hasMessageContaining("finite");
        assertThatThrownBy(() -> encode(SIZE, true)).hasMessage("must be a number, got true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", " true "})
    void trueInAnyCaseIsOne(String text) {
        assertThat(encode(INDOOR, text)).containsExactly(1f);
    }

    @Test
    void booleans() {
        assertThat(encode(INDOOR, "False")).containsExactly(0f);
        assertThat(encode(INDOOR, Boolean.TRUE)).containsExactly(1f);
        assertThat(encode(INDOOR, false)).containsExactly(0f);
        assertThat(encode(INDOOR, 1)).containsExactly(1f);
        assertThatThrownBy(() -> encode(INDOOR, "yes")).hasMessage("must be true or false, got 'yes'");
        assertThatThrownBy(() -> encode(INDOOR, 2)).hasMessage("must be true or false, got 2");
    }

    @Test
    void missingCellsTakeTheFillOrAreRefused() {
        assertThatThrownBy(() -> encode(SIZE, null)).hasMessage("is missing");
        assertThatThrownBy(() -> encode(COLOUR, "  ")).hasMessage("is missing");
        assertThatThrownBy(() -> encode(SPECIES, "")).hasMessage("is missing");
        assertThat(encode(new Column("size", Column.FEATURE, ColumnType.NUMERIC, null, "3.6"), null))
                .containsExactly(3.6f);
        assertThat(encode(new Column("colour", Column.FEATURE, ColumnType.CATEGORICAL, COLOUR.categories(), "red"),
                "")).containsExactly(0f, 0f, 1f);
        assertThat(encode(new Column("indoor", Column.FEATURE, ColumnType.BOOLEAN, null, "true"), null))
                .containsExactly(1f);
    }

    @Test
    void aNumberIsLookedUpByItsTextInAVocabulary() {
        Column grade = new Column("grade", Column.FEATURE, ColumnType.CATEGORICAL, List.of("3", "other"), null);
        assertThat(encode(grade, 3)).containsExactly(1f, 0f);
        assertThat(encode(grade, "other")).containsExactly(0f, 1f);
    }

    @Test
    void columnsCheckTheirShape() {
        assertThatThrownBy(() -> new Column("c", "target", ColumnType.NUMERIC, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Column("c", Column.FEATURE, ColumnType.CATEGORICAL, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Column("c", Column.FEATURE, ColumnType.NUMERIC, List.of("a"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numberRulesMatchTheCsvOnes() {
        for (String yes : List.of("1", "-2.5", "+3", ".5", "5.", "1e3", "2E-2", "0.0")) {
            assertThat(ColumnEncoding.isNumber(yes)).as(yes).isTrue();
        }
        for (String no : List.of("", "+", ".", "0x10", "1f", "1d", "1,5", "--1", "e5", "1e", "1e+", " 1", "NaN")) {
            assertThat(ColumnEncoding.isNumber(no)).as(no).isFalse();
        }
        for (String nonFinite : List.of("NaN", "nan", "-inf", "+Infinity", "INF")) {
            assertThat(ColumnEncoding.isNonFinite(nonFinite)).as(nonFinite).isTrue();
        }
        assertThat(ColumnEncoding.isNonFinite("info")).isFalse();
    }
}
