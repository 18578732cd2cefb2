/**
 * The receiver of Xref's webhooks at the {@code webhook_url} registered with Xref:
 * bounded, JSON only, published as unverified events until the application verifies them.
 */
@NullMarked
package io.github.xrefoauth.webhook;

import org.jspecify.annotations.NullMarked;
