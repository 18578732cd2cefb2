/**
 * Auto-configuration of the {@code xref} Actuator endpoint.
 */
@NullMarked
package io.github.xrefoauth.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
