/**
 * The {@link org.jvision.kernel.Kernels} on the Vector API ({@code jdk.incubator.vector}): the only
 * package that touches the incubator module, loaded by reflection from
 * {@link org.jvision.kernel.Engine} so that the library runs without it.
 */
package org.jvision.kernel.vector;
