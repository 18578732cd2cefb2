/**
 * The {@code xref.*} Micrometer observations of WebFlux steps.
 */
@NullMarked
package io.github.xrefoauth.observation.reactive;

import org.jspecify.annotations.NullMarked;
