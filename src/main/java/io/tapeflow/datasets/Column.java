package io.tapeflow.datasets;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One raw column of a dataset as it was uploaded: the schema {@link ColumnEncoding} turns a cell of it into the
 * stored floats, at upload and again at prediction time.
 *
 * @param role       {@link #FEATURE} or {@link #LABEL}
 * @param categories categorical columns only: the vocabulary, sorted in String natural order (so it does not depend
 *                   on the row order); null otherwise. For a label these are the class names, index = class.
 * @param fill       the value that replaces a missing cell, as text (a number, {@code true}/{@code false} or a
 *                   category), or null when a missing cell is refused. Labels never have one.
 */
@Schema(name = "DatasetColumn", description = "A raw column of the dataset and how it is encoded")
public record Column(
        @Schema(description = "Column name, as in the CSV header", example = "colour") String name,
        @Schema(description = "feature or label", allowableValues = {"feature", "label"}, example = "feature")
        String role,
        @Schema(description = "Inferred type", example = "categorical") ColumnType type,
        @ArraySchema(arraySchema = @Schema(description = "Categorical only: the sorted vocabulary (one-hot "
                + "columns name_value for a feature, class index for a label); null otherwise",
                example = "[\"blue\", \"green\", \"red\"]"))
        List<String> categories,
        @Schema(description = "The value imputed for a missing cell, or null (missing cells refused)",
                example = "green") String fill) {

    public static final String FEATURE = "feature";
    public static final String LABEL = "label";

    public Column {
        if (!FEATURE.equals(role) && !LABEL.equals(role)) {
            throw new IllegalArgumentException("role must be feature or label, got " + role);
        }
        if ((type == ColumnType.CATEGORICAL) != (categories != null)) {
            throw new IllegalArgumentException("column " + name + ": categories are for categorical columns only");
        }
        categories = categories == null ? null : List.copyOf(categories);
    }

    /** A numeric column without a fill: what generated and inline datasets are made of. */
    public static Column numeric(String name, String role) {
        return new Column(name, role, ColumnType.NUMERIC, null, null);
    }

    @JsonIgnore // derived from role; not a property of its own
    public boolean isLabel() {
        return LABEL.equals(role);
    }
}
