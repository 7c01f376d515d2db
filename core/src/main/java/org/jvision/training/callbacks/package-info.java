/**
 * Keras's callbacks, with Keras's names and semantics: {@link org.jvision.training.callbacks.LearningRateScheduler},
 * {@link org.jvision.training.callbacks.ReduceLROnPlateau}, {@link org.jvision.training.callbacks.EarlyStopping},
 * {@link org.jvision.training.callbacks.ModelCheckpoint}, {@link org.jvision.training.callbacks.CsvLogger} and
 * {@link org.jvision.training.callbacks.JsonHistoryLogger}. The stateful ones are
 * {@link org.jvision.training.Checkpointable}, so a resumed run behaves as an uninterrupted one.
 * A metric is named as Keras names it ({@code val_loss}, {@code accuracy}, ...) and watched through
 * a {@link org.jvision.training.callbacks.Monitor}.
 */
package org.jvision.training.callbacks;
