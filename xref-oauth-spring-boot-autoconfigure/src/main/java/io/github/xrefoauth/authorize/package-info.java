/**
 * Starting a connect: the Xref authorize URL and the pending authorization requests.
 */
@NullMarked
package io.github.xrefoauth.authorize;

import org.jspecify.annotations.NullMarked;
