/**
 * Xref's OAuth endpoints as the starter uses them: the token exchange
 * ({@link io.github.xrefoauth.token.XrefTokenClient}) and the revocation of tokens the
 * store does not keep ({@link io.github.xrefoauth.token.XrefTokenRevoker}). A bean of
 * either type replaces the starter's.
 */
@NullMarked
package io.github.xrefoauth.token;

import org.jspecify.annotations.NullMarked;
