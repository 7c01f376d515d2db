/** Data sets: the IDX reader, image reading, the embedded Fashion-MNIST sample, splits and preprocessing. */
package org.jvision.data;
