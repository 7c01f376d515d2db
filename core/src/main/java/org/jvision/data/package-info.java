/**
 * Data sets: the IDX reader and writer ({@link org.jvision.data.IdxReader}), pictures
 * ({@link org.jvision.data.ImageReader}, {@link org.jvision.data.ImageFolder}), Fashion-MNIST and
 * its embedded sample ({@link org.jvision.data.FashionMnist}), the immutable
 * {@link org.jvision.data.Dataset} with its batch copy, seeded stratified
 * {@link org.jvision.data.Splits}, and {@link org.jvision.data.Standardization}.
 */
package org.jvision.data;
