package io.tapeflow.datasets;

import io.swagger.v3.oas.annotations.media.Schema;

/** Summary of one column; {@code std} is the population standard deviation (divides by the row count). */
@Schema(description = "Statistics of one column over all rows")
record ColumnStatistics(
        @Schema(description = "Column name", example = "x1") String column,
        @Schema(description = "feature or label", example = "feature") String role,
        @Schema(description = "Smallest value", example = "-9.91") double min,
        @Schema(description = "Largest value", example = "9.95") double max,
        @Schema(description = "Mean", example = "-0.41") double mean,
        @Schema(description = "Population standard deviation", example = "5.96") double std) {

    static ColumnStatistics of(String column, String role, float[] values, int stride, int offset, int rows) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0, at = offset; i < rows; i++, at += stride) {
            double v = values[at];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double mean = sum / rows;
        double squares = 0;
        for (int i = 0, at = offset; i < rows; i++, at += stride) {
            double d = values[at] - mean;
            squares += d * d;
        }
        return new ColumnStatistics(column, role, min, max, mean, Math.sqrt(squares / rows));
    }
}
