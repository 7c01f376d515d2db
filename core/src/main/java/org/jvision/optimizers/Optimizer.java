package org.jvision.optimizers;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.layers.Parameter;

/**
 * An optimizer turns the accumulated gradients into a step on every trainable parameter. State
 * (moments, step counts) is created lazily, one {@link ParameterState} per parameter, so the same
 * optimizer serves any model. Frozen parameters are skipped; each parameter's learning rate is the
 * optimizer's times the parameter's {@link Parameter#learningRateMultiplier() multiplier}.
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

    /** Applies one update to every trainable parameter from its gradient. */
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            ParameterState state = states.computeIfAbsent(p, k -> new ParameterState(k.value().size(), slotNames().size()));
            state.step++;
            update(p.value().data(), p.gradient().data(), p.value().size(), learningRate * p.learningRateMultiplier(), state);
        }
    }

    /** The names of the per-element state arrays the rule keeps (none for SGD, "m" and "v" for Adam). */
    protected abstract List<String> slotNames();

    /** The update rule for one parameter of {@code n} elements with learning rate {@code lr}. */
    protected abstract void update(float[] weights, float[] gradients, int n, float lr, ParameterState state);

    /**
     * The state of every parameter that has one, for a checkpoint: arrays named
     * {@code <parameter>.<slot>} (e.g. {@code conv2d_1.kernel.m}) and step counts by parameter name.
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
                slots.put(e.getKey() + "." + slotNames.get(i), state.slots[i]);
            }
        }
        return new State(name(), slots, steps);
    }

    /**
     * Restores what {@link #exportState} saved, so training goes on exactly where it stopped.
     *
     * @throws IllegalArgumentException when the state is another optimizer's, names a parameter the
     *                                  model lacks, or an array's size does not match its parameter
     */
    public void importState(State saved, Map<String, Parameter> named) {
        if (!name().equals(saved.optimizer())) {
            throw new IllegalArgumentException("the saved optimizer state is " + saved.optimizer() + "'s, this optimizer is " + name());
        }
        states.clear();
        List<String> slotNames = slotNames();
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
            }
            states.put(p, state);
        }
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
