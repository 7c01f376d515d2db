package org.jvision.optimizers.schedules;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Reads the CLI's {@code --lr-schedule} value into a {@link LearningRateSchedule}:
 * <ul>
 *   <li>{@code constant}: no schedule;</li>
 *   <li>{@code step:EVERY:FACTOR}: {@link StepDecay}, e.g. {@code step:10:0.1};</li>
 *   <li>{@code exp:EVERY:FACTOR}: {@link ExponentialDecay}, e.g. {@code exp:8:0.1};</li>
 *   <li>{@code cosine[:MIN_LR]}: {@link CosineDecay} over the whole training, down to
 *       {@code MIN_LR} (default 0);</li>
 *   <li>{@code warmup:EPOCHS[+SCHEDULE]}: {@link Warmup}, then {@code SCHEDULE} (any of the
 *       above) counted from the end of the warm-up, e.g. {@code warmup:2+cosine}, whose cosine
 *       spans the epochs left after the warm-up.</li>
 * </ul>
 * Reduce-on-plateau ({@code plateau:PATIENCE[:FACTOR[:MIN_LR]]}) watches a metric, so it is a
 * callback: {@code org.jvision.training.callbacks.ReduceLROnPlateau.parse}.
 */
public final class Schedules {
    /** The forms {@link #parse} accepts, for messages and help text. */
    public static final String FORMS = "constant, step:EVERY:FACTOR, exp:EVERY:FACTOR, cosine[:MIN_LR], warmup:EPOCHS[+SCHEDULE]";

    private Schedules() {
    }

    /**
     * The schedule {@code spec} names, for a training of {@code totalEpochs} epochs.
     *
     * @throws IllegalArgumentException saying what was expected and what was received, e.g.
     *     {@code --lr-schedule 'step:x:0.1': EVERY must be a whole number of epochs >= 1, received 'x'}
     */
    public static LearningRateSchedule parse(String spec, int totalEpochs) {
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("--lr-schedule: the training must have at least 1 epoch, received: " + totalEpochs);
        }
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--lr-schedule '" + (spec == null ? "" : spec) + "': expected one of " + FORMS);
        }
        return parse(spec.strip(), spec.strip(), totalEpochs);
    }

    private static LearningRateSchedule parse(String spec, String whole, int totalEpochs) {
        String where = "--lr-schedule '" + whole + "': ";
        int plus = spec.indexOf('+');
        String head = plus < 0 ? spec : spec.substring(0, plus);
        String[] parts = head.split(":", -1);
        String kind = parts[0].toLowerCase(Locale.ROOT);
        if (plus >= 0 && !kind.equals("warmup")) {
            throw new IllegalArgumentException(where + "only a warm-up can be followed by another schedule (warmup:EPOCHS+SCHEDULE), received '"
                    + head + "' before the '+'");
        }
        switch (kind) {
            case "constant" -> {
                expectCount(where, parts, 1, 1, "constant");
                return new Constant();
            }
            case "step" -> {
                expectCount(where, parts, 3, 3, "step:EVERY:FACTOR (e.g. step:10:0.1)");
                return new StepDecay(epochs(where, "EVERY", parts[1]), factor(where, parts[2]));
            }
            case "exp" -> {
                expectCount(where, parts, 3, 3, "exp:EVERY:FACTOR (e.g. exp:8:0.1)");
                return new ExponentialDecay(epochs(where, "EVERY", parts[1]), factor(where, parts[2]));
            }
            case "cosine" -> {
                expectCount(where, parts, 1, 2, "cosine or cosine:MIN_LR (e.g. cosine:1e-5)");
                return new CosineDecay(totalEpochs, parts.length == 2 ? minLearningRate(where, parts[1]) : 0f);
            }
            case "warmup" -> {
                expectCount(where, parts, 2, 2, "warmup:EPOCHS or warmup:EPOCHS+SCHEDULE (e.g. warmup:2+cosine)");
                int warmup = epochs(where, "EPOCHS", parts[1]);
                if (plus < 0) {
                    if (warmup > totalEpochs) {
                        throw new IllegalArgumentException(where + "the warm-up (" + warmup
                                + " epochs) must not be longer than the training (" + totalEpochs + " epochs)");
                    }
                    return new Warmup(warmup);
                }
                if (warmup >= totalEpochs) {
                    throw new IllegalArgumentException(where + "the warm-up (" + warmup
                            + " epochs) must be shorter than the training (" + totalEpochs + " epochs) to leave room for '"
                            + spec.substring(plus + 1) + "'");
                }
                String rest = spec.substring(plus + 1);
                if (rest.toLowerCase(Locale.ROOT).startsWith("warmup")) {
                    throw new IllegalArgumentException(where + "a warm-up is followed by one of constant, step, exp or cosine, received '"
                            + rest + "'");
                }
                return new Warmup(warmup, parse(rest, whole, totalEpochs - warmup));
            }
            case "plateau" -> throw new IllegalArgumentException(where + "reduce-on-plateau watches a metric, so it is a callback, "
                    + "not a fixed schedule: read it with ReduceLROnPlateau.parse");
            default -> throw new IllegalArgumentException(where + "unknown schedule '" + parts[0] + "'; expected one of " + FORMS);
        }
    }

    private static void expectCount(String where, String[] parts, int min, int max, String form) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException(where + "expected " + form + ", received " + (parts.length - 1) + " value"
                    + (parts.length == 2 ? "" : "s") + " after '" + parts[0] + "'");
        }
    }

    private static int epochs(String where, String name, String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + name + " must be a whole number of epochs >= 1, received '" + text + "'");
    }

    private static float factor(String where, String text) {
        float value = number(text);
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(where + "FACTOR must be a number in (0, 1], received '" + text + "'");
        }
        return value;
    }

    private static float minLearningRate(String where, String text) {
        float value = number(text);
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(where + "MIN_LR must be a number >= 0, received '" + text + "'");
        }
        return value;
    }

    /** The number in {@code text}, or NaN when it is none (the callers report it with their own rule). */
    public static float number(String text) {
        try {
            return Float.parseFloat(text.strip());
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** A float as a person writes it: {@code 0.1}, {@code 0.00001}, {@code 1}. */
    public static String format(float value) {
        if (!Float.isFinite(value)) {
            return Float.toString(value);
        }
        return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
    }

    static void requireEpochs(String schedule, String name, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException(schedule + ": " + name + " must be >= 1, received: " + epochs);
        }
    }

    static void requireFactor(String schedule, float factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(schedule + ": factor must be in (0, 1], received: " + factor);
        }
    }
}
