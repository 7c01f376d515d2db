package org.jvision.optimizers;

import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvision.kernel.Parallel;
import org.jvision.layers.Parameter;

/**
 * An optimizer turns the accumulated gradients into a step on every trainable parameter. State
 * (moments, step counts) is created lazily, one {@link ParameterState} per parameter, so the same
 * optimizer serves any model. Frozen parameters are skipped; each parameter's learning rate is the
 * optimizer's times the parameter's {@link Parameter#learningRateMultiplier() multiplier}.
 *
 * <p>Weight decay, where an optimizer has it, applies to weights only ({@link Parameter#regularizable()}):
 * never to biases or batch normalization's gamma and beta (SPEC.md section 5, "Biases are not
 * regularized"). {@link #step} tells the rule which kind of parameter it is updating.
 *
 * <p>Batch, stochastic and mini-batch gradient descent are the same loop with a batch size of the
 * whole set, 1, or something in between: the optimizer only sees the mean gradient of a batch.
 */
public abstract class Optimizer {
    private final Map<Parameter, ParameterState> states = new IdentityHashMap<>();
    private float learningRate;

    protected Optimizer(float learningRate) {
        this.learningRate = requireLearningRate(learningRate);
    }

    /** The optimizer's name in the CLI and model files, e.g. "adam". */
    public abstract String name();

    /** The hyperparameters, serializable to JSON (the learning rate is the current one). */
    public abstract Record config();

    public float learningRate() {
        return learningRate;
    }

    /** Changes the learning rate (schedules do this between epochs or steps). */
    public void setLearningRate(float learningRate) {
        this.learningRate = requireLearningRate(learningRate);
    }

    private float requireLearningRate(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException(name() + ": learning rate must be a positive number, received: " + rate);
        }
        return rate;
    }

    /** Checks a decay rate such as Adam's beta1 or RMSprop's alpha: {@code 0 <= value < 1}. */
    protected static float requireDecayRate(String optimizer, String what, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be in [0, 1), received: " + value);
        }
        return value;
    }

    /** Checks a hyperparameter that must be a positive finite number, such as epsilon. */
    protected static float requirePositive(String optimizer, String what, float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be a positive number, received: " + value);
        }
        return value;
    }

    /** Checks a hyperparameter that must be a finite number {@code >= 0}, such as weight decay. */
    protected static float requireNonNegative(String optimizer, String what, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + what + " must be a finite number >= 0, received: " + value);
        }
        return value;
    }

    /** Applies one update to every trainable parameter from its gradient. */
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            ParameterState state = states.computeIfAbsent(p, unused -> newState(p.value().size()));
            state.step++;
            float[] weights = p.value().data();
            float[] gradients = p.gradient().data();
            float lr = learningRate * p.learningRateMultiplier();
            boolean decays = p.regularizable();
            Parallel.forRange(p.value().size(), MIN_ELEMENTS_PER_THREAD,
                    (from, to) -> update(weights, gradients, from, to, lr, decays, state));
        }
    }

    /**
     * Elements of a parameter per thread from which its update splits between threads: each
     * element reads and writes a few arrays, so a large layer's update streams megabytes.
     */
    static final int MIN_ELEMENTS_PER_THREAD = 16_384;

    private ParameterState newState(int size) {
        ParameterState state = new ParameterState(size, slotNames().size());
        for (int i = 0; i < state.slots.length; i++) {
            float initial = initialSlotValue(i);
            if (initial != 0) {
                Arrays.fill(state.slots[i], initial);
            }
        }
        return state;
    }

    /**
     * The names of the per-element state arrays the rule keeps ("m" and "v" for Adam; none for plain
     * SGD). Fixed for the optimizer's life: the hyperparameters that decide it never change.
     */
    protected abstract List<String> slotNames();

    /** The value a new state array starts at (0 unless the rule says otherwise, as Adagrad's accumulator may). */
    protected float initialSlotValue(int slot) {
        return 0f;
    }

    /**
     * The update rule for elements {@code [from, to)} of one parameter, with learning rate {@code lr}.
     * Each element's update reads and writes that element alone, so {@link #step} may run ranges of
     * one parameter on different threads and get the same bits.
     * {@code decays} says whether weight decay applies to it: true for weights, false for biases
     * and batch normalization's gamma and beta. {@link #step} is the only caller.
     */
    protected abstract void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays,
                                   ParameterState state);

    /**
     * The state of every parameter that has one, for a checkpoint: arrays named
     * {@code <parameter>.<slot>} (e.g. {@code conv2d_1.kernel.m}) and step counts by parameter name.
     * The arrays are copies: later steps leave an exported state as it was.
     */
    public State exportState(Map<String, Parameter> named) {
        Map<String, float[]> slots = new LinkedHashMap<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        List<String> slotNames = slotNames();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            ParameterState state = states.get(e.getValue());
            if (state == null) {
                continue;
            }
            steps.put(e.getKey(), state.step);
            for (int i = 0; i < slotNames.size(); i++) {
                slots.put(e.getKey() + "." + slotNames.get(i), state.slots[i].clone());
            }
        }
        return new State(name(), slots, steps);
    }

    /**
     * Restores what {@link #exportState} saved, so training goes on exactly where it stopped. On
     * failure the optimizer's own state is left as it was.
     *
     * @throws IllegalArgumentException when the state is another optimizer's, names a parameter the
     *                                  model lacks, lacks an array this optimizer keeps or holds one it
     *                                  does not (SGD saved with momentum, restored without), or an
     *                                  array's size does not match its parameter
     */
    public void importState(State saved, Map<String, Parameter> named) {
        if (!name().equals(saved.optimizer())) {
            throw new IllegalArgumentException("the saved optimizer state is " + saved.optimizer() + "'s, this optimizer is " + name());
        }
        List<String> slotNames = slotNames();
        Map<Parameter, ParameterState> restored = new IdentityHashMap<>();
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Long> e : saved.steps().entrySet()) {
            Parameter p = named.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("the saved optimizer state names parameter '" + e.getKey() + "', which the model lacks");
            }
            ParameterState state = new ParameterState(p.value().size(), slotNames.size());
            state.step = e.getValue();
            for (int i = 0; i < slotNames.size(); i++) {
                String slot = e.getKey() + "." + slotNames.get(i);
                float[] values = saved.slots().get(slot);
                if (values == null || values.length != p.value().size()) {
                    throw new IllegalArgumentException("the saved optimizer state " + (values == null ? "lacks '" + slot + "'"
                            : "has " + values.length + " values for '" + slot + "', the parameter has " + p.value().size()));
                }
                System.arraycopy(values, 0, state.slots[i], 0, values.length);
                used.add(slot);
            }
            restored.put(p, state);
        }
        for (String slot : saved.slots().keySet()) {
            if (!used.contains(slot)) {
                throw new IllegalArgumentException("the saved optimizer state has '" + slot + "', which this " + name()
                        + " does not keep (it keeps " + (slotNames.isEmpty() ? "no arrays" : String.join(", ", slotNames))
                        + " per parameter); were the hyperparameters changed?");
            }
        }
        states.clear();
        states.putAll(restored);
    }

    /** An optimizer's saved state: its name, its per-element arrays by name and its step counts. */
    public record State(String optimizer, Map<String, float[]> slots, Map<String, Long> steps) {
    }

    /** Per-parameter state: the number of steps taken and the rule's moment arrays. */
    public static final class ParameterState {
        long step;
        final float[][] slots;

        ParameterState(int size, int count) {
            slots = new float[count][size];
        }

        public long step() {
            return step;
        }

        public float[] slot(int i) {
            return slots[i];
        }
    }
}
