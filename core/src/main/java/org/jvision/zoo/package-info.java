/** Ready-made architectures: mlp, LeNet-5, a small VGG. */
package org.jvision.zoo;
