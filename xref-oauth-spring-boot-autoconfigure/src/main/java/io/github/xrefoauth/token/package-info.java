/**
 * Xref's OAuth endpoints: the token exchange, the deauthorize call, and how their answers
 * are judged.
 */
@NullMarked
package io.github.xrefoauth.token;

import org.jspecify.annotations.NullMarked;
