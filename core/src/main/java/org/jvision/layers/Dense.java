package org.jvision.layers;

import java.util.List;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * A fully connected layer: {@code Y = X·W + b}, with input {@code [batch, in]}, kernel
 * {@code [in, units]}, bias {@code [units]} and output {@code [batch, units]}. Images go through
 * {@link Flatten} first.
 *
 * <p>Backward: {@code dW += Xᵀ·dY}, {@code db += Σ_batch dY}, {@code dX = dY·Wᵀ}.
 *
 * <p>Initialization: the kernel from {@link Config#kernelInitializer()} (Glorot uniform by default,
 * as Keras) with fan-in {@code in} and fan-out {@code units}; the bias at zero.
 */
public final class Dense extends Layer {

    /**
     * Dense's hyperparameters.
     *
     * @param units             output features, positive
     * @param useBias           whether to add a learned bias per unit
     * @param kernelInitializer null means {@link Initializer#GLOROT_UNIFORM}
     */
    public record Config(int units, boolean useBias, Initializer kernelInitializer) {
        public Config {
            kernelInitializer = kernelInitializer == null ? Initializer.GLOROT_UNIFORM : kernelInitializer;
        }

        /** With bias, Glorot uniform. */
        public static Config of(int units) {
            return new Config(units, true, null);
        }
    }

    private final Config config;
    private Parameter kernel;
    private Parameter bias;

    private Tensor input;
    private Tensor output;
    private Tensor inputGradient;
    private double[] biasSums;

    public Dense(String name, Config config) {
        super(name);
        this.config = config;
        if (config.units() <= 0) {
            throw new IllegalArgumentException(describe() + ": units must be positive, received: " + config.units());
        }
    }

    public Dense(String name, int units) {
        this(name, Config.of(units));
    }

    public Dense(int units) {
        this(null, units);
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 1) {
            throw new IllegalArgumentException(describe() + ": expects a vector [features] per example, received input"
                    + " shape " + inputShape + "; add a Flatten layer before it");
        }
        if (kernel != null && inputShape.dim(0) != kernel.value().dim(0)) {
            throw new IllegalArgumentException(describe() + ": input has " + inputShape.dim(0)
                    + " features, kernel expects " + kernel.value().dim(0) + " (kernel shape " + kernel.value().shape()
                    + ")");
        }
        return Shape.of(config.units());
    }

    @Override
    protected void initialize(Shape inputShape, SplittableRandom random) {
        int in = inputShape.dim(0);
        Tensor w = Tensor.zeros(in, config.units());
        config.kernelInitializer().fill(w, in, config.units(), random);
        kernel = Parameter.weight("kernel", w);
        bias = config.useBias() ? Parameter.bias("bias", Tensor.zeros(config.units())) : null;
        biasSums = new double[config.units()];
    }

    @Override
    public List<Parameter> parameters() {
        requireBuilt();
        return bias == null ? List.of(kernel) : List.of(kernel, bias);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt();
        if (x.rank() != 2) {
            throw new IllegalArgumentException(describe() + ": expects input [batch, " + inputShape().dim(0)
                    + "], received shape " + x.shape() + "; add a Flatten layer before it");
        }
        checkInput(x);
        int batch = x.dim(0);
        int in = x.dim(1);
        int units = config.units();
        input = x;
        output = Tensor.reuse(output, Shape.of(batch, units));
        float[] y = output.data();
        if (bias != null) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(bias.value().data(), 0, y, r * units, units);
            }
        }
        // Y[batch, units] (+)= X[batch, in] · W[in, units]
        Engine.kernels().gemm(false, false, batch, units, in, x.data(), 0, in, kernel.value().data(), 0, units,
                y, 0, units, bias != null);
        return output;
    }

    @Override
    public Tensor backward(Tensor dy) {
        checkOutputGradient(dy, input == null ? null : output.shape());
        int batch = input.dim(0);
        int in = input.dim(1);
        int units = config.units();
        float[] g = dy.data();
        // dW[in, units] += Xᵀ · dY; written over a gradient still at zero, which spares zeroing it and reading it back
        boolean overwrite = kernel.gradientIsZero();
        float[] dw = (overwrite ? kernel.gradientToOverwrite() : kernel.gradient()).data();
        Engine.kernels().gemm(true, false, in, units, batch, input.data(), 0, in, g, 0, units, dw, 0, units, !overwrite);
        kernel.markGradientWritten();
        if (bias != null) {
            BiasGradient.accumulate(g, batch, units, biasSums, bias.gradient().data());
        }
        if (!isInputGradientNeeded()) {
            return null;
        }
        // dX[batch, in] = dY · Wᵀ
        inputGradient = inputGradientBuffer(inputGradient, input.shape(), dy);
        Engine.kernels().gemm(false, true, batch, in, units, g, 0, units, kernel.value().data(), 0, units,
                inputGradient.data(), 0, in, false);
        return inputGradient;
    }

    /** Its output buffer is free for the next layer: backward reads its input and kernel, never its output. */
    @Override
    public boolean outputOverwritableByNextLayer() {
        return true;
    }
}
