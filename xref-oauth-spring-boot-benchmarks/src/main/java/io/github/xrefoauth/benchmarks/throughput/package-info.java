/**
 * Requests per second of a page that has nothing to do with Xref, in an application with
 * the starter against the same application holding only the starter's dependencies.
 */
@NullMarked
package io.github.xrefoauth.benchmarks.throughput;

import org.jspecify.annotations.NullMarked;
