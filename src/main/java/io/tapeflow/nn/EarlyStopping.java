package io.tapeflow.nn;

/**
 * Stops a fit when the monitored value ({@code loss} or {@code val_loss}) has not improved by more than
 * {@code minDelta} for {@code patience} epochs in a row (Keras's rule).
 */
public record EarlyStopping(String monitor, int patience, float minDelta) {

    public EarlyStopping {
        if (!"loss".equals(monitor) && !"val_loss".equals(monitor)) {
            throw new IllegalArgumentException("monitor must be 'loss' or 'val_loss', got '" + monitor + "'");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0f) || Float.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be a finite value >= 0, got " + minDelta);
        }
    }
}
