/**
 * Connected Xref accounts in a relational database: the JDBC store and the encryption of
 * its tokens.
 */
@NullMarked
package io.github.xrefoauth.account.jdbc;

import org.jspecify.annotations.NullMarked;
