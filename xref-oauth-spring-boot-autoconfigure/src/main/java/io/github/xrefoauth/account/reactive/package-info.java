/**
 * Reactive access to connected Xref accounts: the connection service and the tenant of
 * the signed-in end user in a WebFlux application.
 */
@NullMarked
package io.github.xrefoauth.account.reactive;

import org.jspecify.annotations.NullMarked;
