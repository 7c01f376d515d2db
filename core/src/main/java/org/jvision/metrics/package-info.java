/** Evaluation metrics: accuracy and friends. */
package org.jvision.metrics;
