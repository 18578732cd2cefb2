/**
 * Start-up and JVM exit of an application with the starter against the same application
 * holding only the starter's dependencies.
 */
@NullMarked
package io.github.xrefoauth.benchmarks.startup;

import org.jspecify.annotations.NullMarked;
