/**
 * The {@code xref} Actuator endpoint: registration values, store, connect outcomes and
 * webhook counts; never a secret or a token.
 */
@NullMarked
package io.github.xrefoauth.actuate;

import org.jspecify.annotations.NullMarked;
