/**
 * Micrometer observations of the connect ({@code xref.connect}), the token exchange
 * ({@code xref.token.exchange}) and the deauthorize call ({@code xref.deauthorize}).
 */
@NullMarked
package io.github.xrefoauth.observation;

import org.jspecify.annotations.NullMarked;
