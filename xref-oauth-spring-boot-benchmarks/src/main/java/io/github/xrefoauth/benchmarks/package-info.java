/**
 * JMH benchmarks of the token read path.
 */
@NullMarked
package io.github.xrefoauth.benchmarks;

import org.jspecify.annotations.NullMarked;
