/**
 * Xref's redirect back to the platform: state check, code exchange and storing the
 * account.
 */
@NullMarked
package io.github.xrefoauth.callback;

import org.jspecify.annotations.NullMarked;
