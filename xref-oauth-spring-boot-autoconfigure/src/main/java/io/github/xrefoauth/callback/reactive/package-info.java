/**
 * Completing a connect in a WebFlux application: Xref's redirect back to the platform.
 */
@NullMarked
package io.github.xrefoauth.callback.reactive;

import org.jspecify.annotations.NullMarked;
