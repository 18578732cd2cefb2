/**
 * Connected Xref accounts: the connection, the store of either stack, and the tenant of
 * the current end user.
 */
@NullMarked
package io.github.xrefoauth.account;

import org.jspecify.annotations.NullMarked;
