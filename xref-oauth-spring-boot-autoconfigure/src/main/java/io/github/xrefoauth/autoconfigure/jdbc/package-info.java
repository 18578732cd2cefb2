/**
 * Auto-configuration of the JDBC account store and authorization request repository.
 */
@NullMarked
package io.github.xrefoauth.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
