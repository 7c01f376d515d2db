package org.jvision.training.callbacks;

import java.util.Locale;
import java.util.Objects;
import org.jvision.training.EpochLogs;

/**
 * What a callback watches: one metric of the {@link EpochLogs} ({@code loss}, {@code accuracy},
 * {@code val_loss}, {@code val_accuracy}, {@code learning_rate}) and whether lower or higher is
 * better. Keras's {@code mode="auto"} is resolved here, from the name: losses are minimized,
 * accuracies maximized; the learning rate has no direction, so watching it needs an explicit mode.
 *
 * <p>An improvement by at least {@code minDelta} means {@code current < best − minDelta} when
 * minimizing and {@code current > best + minDelta} when maximizing (Keras's {@code min_delta}); a
 * NaN never improves.
 *
 * @param metric the metric's name, one of {@link EpochLogs#METRICS}
 * @param mode {@link Mode#MIN} or {@link Mode#MAX}; {@link Mode#AUTO} is resolved on construction
 */
public record Monitor(String metric, Mode mode) {
    /** Which way is better; AUTO decides from the metric's name. */
    public enum Mode {
        MIN, MAX, AUTO;

        /** {@code min}, {@code max} or {@code auto}, in any case. */
        public static Mode parse(String text) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be one of min, max, auto, received: '" + text + "'");
        }
    }

    public Monitor {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(mode, "mode");
        EpochLogs.requireMetricName(metric);
        if (mode == Mode.AUTO) {
            mode = switch (metric) {
                case "loss", "val_loss" -> Mode.MIN;
                case "accuracy", "val_accuracy" -> Mode.MAX;
                default -> throw new IllegalArgumentException("cannot tell whether " + metric
                        + " should be minimized or maximized (mode auto): pass mode min or max");
            };
        }
    }

    /** A monitor whose direction comes from the metric's name (Keras's {@code mode="auto"}). */
    public static Monitor of(String metric) {
        return new Monitor(metric, Mode.AUTO);
    }

    /** The monitored value at the end of an epoch; {@code who} names the callback in the error. */
    public double value(EpochLogs logs, String who) {
        try {
            return logs.metric(metric);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(who + " monitors " + metric + ", but " + e.getMessage(), e);
        }
    }

    /** Whether the metric is a validation one, so the fit needs validation data. */
    public boolean needsValidation() {
        return metric.startsWith("val_");
    }

    /** The starting "best": +∞ when minimizing, −∞ when maximizing, so the first value improves on it. */
    public double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Whether {@code current} beats {@code best} by more than {@code minDelta} (≥ 0). */
    public boolean improves(double current, double best, double minDelta) {
        return mode == Mode.MIN ? current < best - minDelta : current > best + minDelta;
    }

    /** "min" or "max". */
    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
