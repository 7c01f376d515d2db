package org.jvision.training.callbacks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jvision.layers.Parameter;
import org.jvision.model.Sequential;
import org.jvision.optimizers.schedules.Schedules;
import org.jvision.training.Callback;
import org.jvision.training.Checkpointable;
import org.jvision.training.EpochLogs;
import org.jvision.training.History;
import org.jvision.training.TrainingControl;

/**
 * Stops training when the monitored metric has stopped improving, Keras's {@code EarlyStopping}
 * ({@code keras/src/callbacks/early_stopping.py}). At the end of each epoch the count of epochs
 * without improvement grows by one; an improvement by more than {@code minDelta} (see
 * {@link Monitor}) records the new best value, epoch and (with {@code restoreBestWeights}) a copy
 * of the weights, and resets the count. When the count reaches {@code patience} (never at the first
 * epoch) it asks the fit loop to stop, with a reason such as
 * {@code early stopping: val_loss did not improve by 1e-4 for 3 epochs (best 0.3123 at epoch 5)}.
 *
 * <p>With {@code restoreBestWeights}, the best epoch's weights (trainable parameters and buffers
 * such as batch-norm statistics) are copied back into the model when training ends, <b>whether it
 * stopped early or ran to its last epoch</b>: Keras 3's behaviour (Keras 2 before 2.11 restored only
 * on an early stop), so after {@code fit} the model is the best one seen. Unlike Keras 3, the best
 * value is reset when training begins, so an instance reused for a second fit starts afresh.
 *
 * <p>A monitored {@code val_*} metric with no validation data is an error at the end of the first
 * epoch, not a silent fall-back; check {@link #monitor()}{@code .needsValidation()} before training
 * to report it sooner.
 */
public final class EarlyStopping implements Callback, Checkpointable {
    /** The metrics the CLI form may watch (the mode comes from the name). */
    private static final List<String> MONITORABLE = List.of("val_loss", "val_accuracy", "loss", "accuracy");
    private static final String FORM = "MONITOR:PATIENCE[:MIN_DELTA] (e.g. val_loss:5 or val_accuracy:5:0.001)";
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private final boolean restoreBestWeights;
    private TrainingControl control;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private Map<String, float[]> bestWeights;
    private boolean restored;

    /**
     * @param monitor the metric to watch, e.g. {@code val_loss}
     * @param minDelta the least change that counts as an improvement, {@code >= 0}
     * @param patience epochs without improvement before stopping, {@code >= 0}
     * @param mode min, max, or auto (from the metric's name)
     * @param restoreBestWeights whether to put the best epoch's weights back at the end of training
     */
    public EarlyStopping(String monitor, double minDelta, int patience, Monitor.Mode mode, boolean restoreBestWeights) {
        try {
            this.monitor = new Monitor(monitor, mode);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("EarlyStopping: " + e.getMessage(), e);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be a finite number >= 0, received: " + minDelta);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, received: " + patience);
        }
        this.minDelta = minDelta;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
        reset();
    }

    /** Watches {@code monitor} with no minimum change, the mode from its name, restoring the best weights. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, Monitor.Mode.AUTO, true);
    }

    /**
     * The CLI's {@code --early-stopping MONITOR:PATIENCE[:MIN_DELTA]}, e.g. {@code val_loss:5}:
     * the mode from the metric's name, min_delta 0 unless given, and the best weights restored.
     *
     * @throws IllegalArgumentException saying what was expected and what was received
     */
    public static EarlyStopping parse(String spec) {
        String where = "--early-stopping '" + spec + "': ";
        String[] parts = spec == null ? new String[] {""} : spec.strip().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(where + "expected " + FORM);
        }
        String metric = parts[0].strip().toLowerCase(Locale.ROOT);
        int patience;
        try {
            patience = Integer.parseInt(parts[1].strip());
        } catch (NumberFormatException e) {
            patience = -1;
        }
        if (patience < 0) {
            throw new IllegalArgumentException(where + "PATIENCE must be a whole number of epochs >= 0, received '" + parts[1] + "'");
        }
        double minDelta = 0;
        if (parts.length == 3) {
            minDelta = Schedules.number(parts[2]);
            if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
                throw new IllegalArgumentException(where + "MIN_DELTA must be a number >= 0, received '" + parts[2] + "'");
            }
        }
        if (!MONITORABLE.contains(metric)) {
            throw new IllegalArgumentException(where + "MONITOR must be one of " + String.join(", ", MONITORABLE) + ", received '"
                    + parts[0] + "'");
        }
        return new EarlyStopping(metric, minDelta, patience, Monitor.Mode.AUTO, true);
    }

    public Monitor monitor() {
        return monitor;
    }

    public double minDelta() {
        return minDelta;
    }

    public int patience() {
        return patience;
    }

    public boolean restoreBestWeights() {
        return restoreBestWeights;
    }

    /** The best value seen, or ±∞ before any. */
    public double bestValue() {
        return best;
    }

    /** The epoch (from 1) of the best value, 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch at which it asked to stop, 0 if it has not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        this.control = control;
        if (!restored) {
            reset();
        } else if (bestWeights != null) {
            requireFits(bestWeights, "the restored best weights", control.model());
        }
        restored = false;
        stoppedEpoch = 0;
    }

    private void reset() {
        best = monitor.worst();
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        double current = monitor.value(logs, "EarlyStopping");
        if (restoreBestWeights && bestWeights == null) {
            // Until something improves, the weights we have are the best we know of (Keras does the same).
            bestWeights = snapshot(control.model(), null);
            bestEpoch = logs.epoch();
        }
        wait++;
        if (monitor.improves(current, best, minDelta)) {
            best = current;
            bestEpoch = logs.epoch();
            if (restoreBestWeights) {
                bestWeights = snapshot(control.model(), bestWeights);
            }
            wait = 0;
            return;
        }
        if (wait >= patience && logs.epoch() > 1) {
            stoppedEpoch = logs.epoch();
            control.requestStop(reason());
        }
    }

    /** e.g. "early stopping: val_loss did not improve by 1e-4 for 3 epochs (best 0.3123 at epoch 5)". */
    private String reason() {
        String by = minDelta == 0 ? "" : " by " + formatDelta(minDelta);
        String bestPart = Double.isInfinite(best) ? "no finite value so far"
                : String.format(Locale.ROOT, "best %.4f at epoch %d", best, bestEpoch);
        return "early stopping: " + monitor.metric() + " did not improve" + by + " for " + wait + " epoch" + (wait == 1 ? "" : "s")
                + " (" + bestPart + ")";
    }

    /** 1e-4 rather than Java's 1.0E-4; 0.001 as is. */
    static String formatDelta(double value) {
        return Double.toString(value).replace(".0E", "E").replace("E", "e");
    }

    @Override
    public void onTrainEnd(History history) {
        if (restoreBestWeights && bestWeights != null) {
            copy(bestWeights, "the best weights", control.model());
        }
    }

    /** A copy of every parameter and buffer by name, reusing {@code into}'s arrays when given. */
    private static Map<String, float[]> snapshot(Sequential model, Map<String, float[]> into) {
        Map<String, float[]> copy = into != null ? into : new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedState().entrySet()) {
            float[] values = e.getValue().value().data();
            int n = e.getValue().value().size();
            float[] target = copy.get(e.getKey());
            if (target == null || target.length != n) {
                target = new float[n];
                copy.put(e.getKey(), target);
            }
            System.arraycopy(values, 0, target, 0, n);
        }
        return copy;
    }

    /** Checks that {@code weights} has an array of the right size for every parameter and buffer of the model, and no other. */
    private static void requireFits(Map<String, float[]> weights, String what, Sequential model) {
        Map<String, Parameter> state = model.namedState();
        if (!state.keySet().equals(weights.keySet())) {
            throw new IllegalStateException("EarlyStopping: " + what + " are for parameters " + weights.keySet()
                    + ", the model has " + state.keySet());
        }
        for (Map.Entry<String, Parameter> e : state.entrySet()) {
            int saved = weights.get(e.getKey()).length;
            int n = e.getValue().value().size();
            if (saved != n) {
                throw new IllegalStateException("EarlyStopping: " + what + " have " + saved + " values for '" + e.getKey()
                        + "', the model's has " + n);
            }
        }
    }

    /** Copies {@code weights} into the model, after {@link #requireFits}. */
    private static void copy(Map<String, float[]> weights, String what, Sequential model) {
        requireFits(weights, what, model);
        for (Map.Entry<String, Parameter> e : model.namedState().entrySet()) {
            float[] saved = weights.get(e.getKey());
            System.arraycopy(saved, 0, e.getValue().value().data(), 0, saved.length);
        }
    }

    @Override
    public String stateKey() {
        return "early_stopping";
    }

    /** {@code wait}, {@code best_epoch}, {@code best} once there is one, and the best weights as arrays by parameter name. */
    @Override
    public SavedState saveState() {
        Map<String, Double> numbers = new HashMap<>();
        numbers.put("wait", (double) wait);
        numbers.put("best_epoch", (double) bestEpoch);
        if (Double.isFinite(best)) {
            numbers.put("best", best);
        }
        Map<String, float[]> arrays = new LinkedHashMap<>();
        if (bestWeights != null) {
            bestWeights.forEach((name, values) -> arrays.put(name, values.clone()));
        }
        return new SavedState(numbers, arrays);
    }

    @Override
    public void restoreState(SavedState state) {
        wait = (int) state.number("wait");
        bestEpoch = (int) state.number("best_epoch");
        best = state.numbers().getOrDefault("best", monitor.worst());
        if (state.arrays().isEmpty()) {
            bestWeights = null;
        } else {
            bestWeights = new LinkedHashMap<>();
            state.arrays().forEach((name, values) -> bestWeights.put(name, values.clone()));
        }
        restored = true;
    }
}
