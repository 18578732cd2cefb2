/**
 * The scheduled health check of stored connections: every connection's token is verified
 * at Xref about once per interval, spread over the interval and shared through the store
 * by every instance of the application.
 */
@NullMarked
package io.github.xrefoauth.health;

import org.jspecify.annotations.NullMarked;
