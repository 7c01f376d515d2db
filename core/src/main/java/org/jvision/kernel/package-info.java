/** The compute kernels (matrix product) behind one interface, their scalar reference twin, the engine that picks one, and the thread pool. */
package org.jvision.kernel;
