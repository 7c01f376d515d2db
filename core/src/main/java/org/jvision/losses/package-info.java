/** Loss functions with their gradients. */
package org.jvision.losses;
