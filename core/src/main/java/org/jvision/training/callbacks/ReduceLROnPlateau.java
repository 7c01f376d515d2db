package org.jvision.training.callbacks;

import java.util.HashMap;
import java.util.Map;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.schedules.Schedules;
import org.jvision.training.Callback;
import org.jvision.training.Checkpointable;
import org.jvision.training.EpochLogs;
import org.jvision.training.TrainingControl;

/**
 * Lowers the learning rate when the monitored metric stops improving, Keras's
 * {@code ReduceLROnPlateau} (PyTorch's {@code lr_scheduler.ReduceLROnPlateau}). At the end of each
 * epoch:
 * <ul>
 *   <li>during a cool-down (the {@code cooldown} epochs after a reduction) the count of epochs
 *       without improvement stays at 0;</li>
 *   <li>an improvement by more than {@code minDelta} (see {@link Monitor}) records the new best
 *       and resets the count;</li>
 *   <li>otherwise, out of cool-down, the count grows, and when it reaches {@code patience} the
 *       rate becomes {@code max(rate · factor, minLearningRate)} (unless it is already at the
 *       minimum), the count resets and the cool-down starts.</li>
 * </ul>
 * The direction comes from the metric's name: losses are minimized, accuracies maximized. The
 * Keras defaults: {@code val_loss}, factor 0.1, patience 10, min_lr 0, min_delta 1e-4, cooldown 0.
 *
 * <p>A monitored {@code val_*} metric with no validation data is an error at the end of the first
 * epoch (it does not fall back to the training loss); check {@link #monitor()}{@code .needsValidation()}
 * before training to report it sooner. Do not combine with {@link LearningRateScheduler}, which
 * sets the rate before every batch.
 */
public final class ReduceLROnPlateau implements Callback, Checkpointable {
    public static final String DEFAULT_MONITOR = "val_loss";
    public static final double DEFAULT_FACTOR = 0.1;
    public static final int DEFAULT_PATIENCE = 10;
    public static final double DEFAULT_MIN_LEARNING_RATE = 0;
    public static final double DEFAULT_MIN_DELTA = 1e-4;
    public static final int DEFAULT_COOLDOWN = 0;
    private static final String FORM = "plateau:PATIENCE[:FACTOR[:MIN_LR]] (e.g. plateau:3:0.5)";

    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minLearningRate;
    private final double minDelta;
    private final int cooldown;
    private Optimizer optimizer;
    private double best;
    private int wait;
    private int cooldownCounter;
    private boolean restored;

    /** Keras's defaults: val_loss, factor 0.1, patience 10, min_lr 0, min_delta 1e-4, cooldown 0. */
    public ReduceLROnPlateau() {
        this(DEFAULT_MONITOR, DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_MIN_LEARNING_RATE, DEFAULT_MIN_DELTA, DEFAULT_COOLDOWN);
    }

    /**
     * @param monitor the metric to watch, e.g. {@code val_loss}
     * @param factor what the rate is multiplied by, in (0, 1)
     * @param patience epochs without improvement before a reduction, {@code >= 0}
     * @param minLearningRate the floor of the rate, {@code >= 0}
     * @param minDelta the least change that counts as an improvement, {@code >= 0}
     * @param cooldown epochs to wait after a reduction before counting again, {@code >= 0}
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience, double minLearningRate, double minDelta, int cooldown) {
        try {
            this.monitor = Monitor.of(monitor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ReduceLROnPlateau: " + e.getMessage(), e);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), received: " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, received: " + patience);
        }
        if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minLearningRate must be a finite number >= 0, received: "
                    + minLearningRate);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minDelta must be a finite number >= 0, received: " + minDelta);
        }
        if (cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, received: " + cooldown);
        }
        this.factor = factor;
        this.patience = patience;
        this.minLearningRate = minLearningRate;
        this.minDelta = minDelta;
        this.cooldown = cooldown;
        reset();
    }

    /**
     * The CLI's {@code --lr-schedule plateau:PATIENCE[:FACTOR[:MIN_LR]]}: monitors val_loss, with
     * Keras's defaults for what the spec leaves out (factor 0.1, min_lr 0, min_delta 1e-4, no cool-down).
     *
     * @throws IllegalArgumentException saying what was expected and what was received
     */
    public static ReduceLROnPlateau parse(String spec) {
        String where = "--lr-schedule '" + spec + "': ";
        String[] parts = spec == null ? new String[] {""} : spec.strip().split(":", -1);
        if (!parts[0].equalsIgnoreCase("plateau") || parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException(where + "expected " + FORM);
        }
        int patience;
        try {
            patience = Integer.parseInt(parts[1].strip());
        } catch (NumberFormatException e) {
            patience = -1;
        }
        if (patience < 0) {
            throw new IllegalArgumentException(where + "PATIENCE must be a whole number of epochs >= 0, received '" + parts[1] + "'");
        }
        double factor = parts.length > 2 ? Schedules.number(parts[2]) : DEFAULT_FACTOR;
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException(where + "FACTOR must be a number in (0, 1), received '" + parts[2] + "'");
        }
        double minLearningRate = parts.length > 3 ? Schedules.number(parts[3]) : DEFAULT_MIN_LEARNING_RATE;
        if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
            throw new IllegalArgumentException(where + "MIN_LR must be a number >= 0, received '" + parts[3] + "'");
        }
        return new ReduceLROnPlateau(DEFAULT_MONITOR, factor, patience, minLearningRate, DEFAULT_MIN_DELTA, DEFAULT_COOLDOWN);
    }

    public Monitor monitor() {
        return monitor;
    }

    public double factor() {
        return factor;
    }

    public int patience() {
        return patience;
    }

    public double minLearningRate() {
        return minLearningRate;
    }

    public double minDelta() {
        return minDelta;
    }

    public int cooldown() {
        return cooldown;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        optimizer = control.optimizer();
        if (!restored) {
            reset();
        }
        restored = false;
    }

    private void reset() {
        best = monitor.worst();
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        double current = monitor.value(logs, "ReduceLROnPlateau");
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (monitor.improves(current, best, minDelta)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience) {
                float old = optimizer.learningRate();
                float lowered = (float) Math.max(old * factor, minLearningRate);
                if (old > (float) minLearningRate && lowered > 0) {
                    optimizer.setLearningRate(lowered);
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    @Override
    public String stateKey() {
        return "reduce_lr_on_plateau";
    }

    /** {@code wait}, {@code cooldown_counter}, and {@code best} once there is one. */
    @Override
    public SavedState saveState() {
        Map<String, Double> numbers = new HashMap<>();
        numbers.put("wait", (double) wait);
        numbers.put("cooldown_counter", (double) cooldownCounter);
        if (Double.isFinite(best)) {
            numbers.put("best", best);
        }
        return new SavedState(numbers, Map.of());
    }

    @Override
    public void restoreState(SavedState state) {
        wait = (int) state.number("wait");
        cooldownCounter = (int) state.number("cooldown_counter");
        best = state.numbers().getOrDefault("best", monitor.worst());
        restored = true;
    }
}
