/**
 * Helpers shared by the tests of several packages.
 */
@NullMarked
package io.github.xrefoauth.testing;

import org.jspecify.annotations.NullMarked;
