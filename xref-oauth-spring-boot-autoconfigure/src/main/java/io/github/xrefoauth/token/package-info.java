/**
 * The server-to-server token exchange with Xref.
 */
@NullMarked
package io.github.xrefoauth.token;

import org.jspecify.annotations.NullMarked;
