/**
 * Adding the Xref connect flow to a WebFlux security filter chain.
 */
@NullMarked
package io.github.xrefoauth.security.reactive;

import org.jspecify.annotations.NullMarked;
