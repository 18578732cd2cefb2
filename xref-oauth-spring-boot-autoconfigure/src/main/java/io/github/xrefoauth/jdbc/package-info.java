/**
 * Connections and pending authorization requests in a relational database, shared by
 * every instance of the application, with tokens encrypted at rest.
 */
@NullMarked
package io.github.xrefoauth.jdbc;

import org.jspecify.annotations.NullMarked;
