/**
 * Connected Xref accounts: the store, the tenant mapping and the connection service.
 */
@NullMarked
package io.github.xrefoauth.account;

import org.jspecify.annotations.NullMarked;
