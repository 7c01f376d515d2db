/** Models (Sequential), their summary, and the model file (safetensors with JSON metadata). */
package org.jvision.model;
