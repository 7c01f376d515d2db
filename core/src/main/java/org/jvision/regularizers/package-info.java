/** Weight penalties (L1, L2) and how the fit loop applies them. */
package org.jvision.regularizers;
