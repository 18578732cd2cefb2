/**
 * Auto-configuration for Xref OAuth.
 */
@NullMarked
package io.github.xrefoauth.autoconfigure;

import org.jspecify.annotations.NullMarked;
