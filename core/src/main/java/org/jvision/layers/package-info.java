/** Layers, each with its forward and backward pass side by side. */
package org.jvision.layers;
