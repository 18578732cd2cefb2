/**
 * Pending Xref authorization requests in a relational database, shared by every instance
 * of the application.
 */
@NullMarked
package io.github.xrefoauth.authorize.jdbc;

import org.jspecify.annotations.NullMarked;
