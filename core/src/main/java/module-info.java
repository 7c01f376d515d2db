/**
 * jvision: building, training and evaluating convolutional image classifiers on the JVM.
 *
 * <p>The package layout is the architecture; dependencies point one way:
 * training → model → layers → kernel → tensor. The Vector API is optional at run time: without
 * {@code --add-modules jdk.incubator.vector} the plain scalar kernels are used.
 */
module org.jvision {
    requires static jdk.incubator.vector;
    requires com.fasterxml.jackson.databind;
    requires java.desktop; // ImageIO reads PNG and JPEG inputs

    exports org.jvision.tensor;
    exports org.jvision.kernel;
    exports org.jvision.layers;
    exports org.jvision.losses;
    // exports org.jvision.optimizers;  (uncommented once the package has classes)
    // exports org.jvision.model;  (uncommented once the package has classes)
    // exports org.jvision.training;  (uncommented once the package has classes)
    // exports org.jvision.data;  (uncommented once the package has classes)
    // exports org.jvision.metrics;  (uncommented once the package has classes)
    // exports org.jvision.zoo;  (uncommented once the package has classes)

}
