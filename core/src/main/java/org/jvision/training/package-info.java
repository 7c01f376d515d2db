/** The fit loop, callbacks and training history. */
package org.jvision.training;
