/** Float32 tensors and shapes; image batches are NHWC. */
package org.jvision.tensor;
