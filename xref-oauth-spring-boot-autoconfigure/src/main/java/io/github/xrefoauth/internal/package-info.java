/**
 * Internal helpers that several packages of the starter share. Not for use by
 * applications: any type here may change or go without notice.
 */
@NullMarked
package io.github.xrefoauth.internal;

import org.jspecify.annotations.NullMarked;
