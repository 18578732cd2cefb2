/**
 * The WebFlux adapters: the connect start and callback web filters, the pending requests
 * in the web session and the {@code ServerHttpSecurity} customizer. Every rule they apply
 * lives in the stack-neutral packages, as for the servlet adapters.
 */
@NullMarked
package io.github.xrefoauth.web.server;

import org.jspecify.annotations.NullMarked;
