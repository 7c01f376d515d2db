/**
 * jvision: building, training and evaluating convolutional image classifiers on the JVM.
 *
 * <p>The package layout is the architecture; dependencies point one way:
 * training → model → layers → kernel → tensor. The Vector API is optional at run time: without
 * {@code --add-modules jdk.incubator.vector} the plain scalar kernels are used.
 */
module org.jvision {
    requires static jdk.incubator.vector;
    requires transitive com.fasterxml.jackson.databind; // JsonNode is part of LayerRegistry's API
    requires java.desktop; // ImageIO reads PNG and JPEG inputs

    exports org.jvision.tensor;
    exports org.jvision.kernel;
    exports org.jvision.layers;
    exports org.jvision.losses;
    exports org.jvision.optimizers;
    exports org.jvision.optimizers.schedules;
    exports org.jvision.regularizers;
    exports org.jvision.model;
    exports org.jvision.training;
    exports org.jvision.training.callbacks;
    exports org.jvision.data;
    // org.jvision.metrics (confusion matrix, precision, recall, F-score) comes with the evaluation issue
    exports org.jvision.zoo;

    // Jackson reads and writes the config records, logs and preprocessing by reflection.
    opens org.jvision.layers to com.fasterxml.jackson.databind;
    opens org.jvision.optimizers to com.fasterxml.jackson.databind;
    opens org.jvision.model to com.fasterxml.jackson.databind;
    opens org.jvision.training to com.fasterxml.jackson.databind;
    opens org.jvision.data to com.fasterxml.jackson.databind;
}
