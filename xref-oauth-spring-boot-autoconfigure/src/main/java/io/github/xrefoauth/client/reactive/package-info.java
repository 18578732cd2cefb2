/**
 * Calling the Xref Open API with an account's token through a WebClient.
 */
@NullMarked
package io.github.xrefoauth.client.reactive;

import org.jspecify.annotations.NullMarked;
