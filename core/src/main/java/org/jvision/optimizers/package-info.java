/** Optimizers: the update rules that turn gradients into parameter steps. */
package org.jvision.optimizers;
