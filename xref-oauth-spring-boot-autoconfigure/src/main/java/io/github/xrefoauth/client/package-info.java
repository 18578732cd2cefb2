/**
 * Calling the Xref Open API with an account's token.
 */
@NullMarked
package io.github.xrefoauth.client;

import org.jspecify.annotations.NullMarked;
