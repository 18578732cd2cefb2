/**
 * The token lookup of an API call with tens of thousands of active tenants, and how soon
 * a disconnect on one instance is in force on another, with the JDBC store on PostgreSQL.
 */
@NullMarked
package io.github.xrefoauth.benchmarks.store;

import org.jspecify.annotations.NullMarked;
