/**
 * Learning-rate schedules: the rate as a function of the position in training (step decay,
 * exponential decay, cosine decay, linear warm-up), and {@link org.jvision.optimizers.schedules.Schedules#parse}
 * for the CLI's {@code --lr-schedule}. A schedule is a pure function of the initial rate and the
 * position; {@code org.jvision.training.callbacks.LearningRateScheduler} applies it to the
 * optimizer before every batch. Reduce-on-plateau depends on the metrics, so it is a callback
 * ({@code org.jvision.training.callbacks.ReduceLROnPlateau}), not a schedule.
 */
package org.jvision.optimizers.schedules;
