/**
 * Calling the Xref Open API with an account's token: choosing the token of a call, the
 * {@code RestClient} interceptor and {@code WebClient} filter that add it, the bound on
 * concurrent calls, and the connection services (verify, disconnect, forget).
 */
@NullMarked
package io.github.xrefoauth.client;

import org.jspecify.annotations.NullMarked;
