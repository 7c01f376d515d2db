package org.jvision.optimizers;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.layers.Parameter;

/**
 * An optimizer turns the accumulated gradients into a step on every trainable parameter. State
 * (moments, step counts) is created lazily, one {@link ParameterState} per parameter, so the same
 * optimizer serves any model.
 *
 * <p>Batch, stochastic and mini-batch gradient descent are the same loop with a batch size of the
 * whole set, 1, or something in between: the optimizer only sees the mean gradient of a batch.
 */
public abstract class Optimizer {
    private final Map<Parameter, ParameterState> states = new IdentityHashMap<>();
    private float learningRate;

    protected Optimizer(float learningRate) {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException(name() + ": learning rate must be a positive number, received: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** The optimizer's name in the CLI and model files, e.g. "adam". */
    public abstract String name();

    /** The hyperparameters, serializable to JSON. */
    public abstract Record config();

    public float learningRate() {
        return learningRate;
    }

    /** Changes the learning rate (schedules do this between epochs). */
    public void setLearningRate(float learningRate) {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException(name() + ": learning rate must be a positive number, received: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** Applies one update to every trainable parameter from its gradient. */
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            ParameterState state = states.computeIfAbsent(p, k -> new ParameterState(k.value().size(), slots()));
            state.step++;
            update(p.value().data(), p.gradient().data(), p.value().size(), state);
        }
    }

    /** How many per-element state arrays the rule keeps (0 for SGD, 2 for Adam's moments). */
    protected abstract int slots();

    /** The update rule for one parameter of {@code n} elements. */
    protected abstract void update(float[] weights, float[] gradients, int n, ParameterState state);

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
