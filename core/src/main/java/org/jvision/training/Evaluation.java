package org.jvision.training;

/** The result of evaluating a model on a data set: mean loss, accuracy, number of examples. */
public record Evaluation(double loss, double accuracy, int examples) {
}
