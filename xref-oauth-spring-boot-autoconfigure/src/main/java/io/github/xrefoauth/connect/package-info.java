/**
 * Connecting an Xref account, apart from any web stack: who may start a connect, the
 * rules of pending requests, completing a connect (code exchange, storing the token,
 * revoking what is replaced or cannot be kept) and reporting how it ended. The servlet
 * ({@code io.github.xrefoauth.web}) and WebFlux ({@code io.github.xrefoauth.web.server})
 * adapters read requests and write responses around it. Not for use by applications: any
 * type here may change or go without notice; applications configure connects with
 * {@code xref.oauth.*} properties and observe them through events.
 */
@NullMarked
package io.github.xrefoauth.connect;

import org.jspecify.annotations.NullMarked;
