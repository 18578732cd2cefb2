/**
 * Application events of the connect flow: connected, disconnected, forgotten, revoked at
 * Xref and connect failed. None carries a token.
 */
@NullMarked
package io.github.xrefoauth.event;

import org.jspecify.annotations.NullMarked;
