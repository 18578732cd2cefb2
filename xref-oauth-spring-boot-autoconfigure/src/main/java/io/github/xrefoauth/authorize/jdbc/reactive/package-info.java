/**
 * Pending Xref authorization requests of a WebFlux application in a relational database,
 * shared by every instance.
 */
@NullMarked
package io.github.xrefoauth.authorize.jdbc.reactive;

import org.jspecify.annotations.NullMarked;
