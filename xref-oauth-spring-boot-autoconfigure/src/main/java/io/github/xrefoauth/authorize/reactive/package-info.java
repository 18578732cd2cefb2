/**
 * Starting a connect in a WebFlux application: the redirect to Xref and the pending
 * requests in the WebSession.
 */
@NullMarked
package io.github.xrefoauth.authorize.reactive;

import org.jspecify.annotations.NullMarked;
