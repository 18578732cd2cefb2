/**
 * A local Xref simulator for tests and demos.
 */
@NullMarked
package io.github.xrefoauth.test;

import org.jspecify.annotations.NullMarked;
