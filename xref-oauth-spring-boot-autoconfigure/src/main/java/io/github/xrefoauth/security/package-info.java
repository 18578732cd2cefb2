/**
 * Wiring the connect flow into Spring Security's filter chain.
 */
@NullMarked
package io.github.xrefoauth.security;

import org.jspecify.annotations.NullMarked;
