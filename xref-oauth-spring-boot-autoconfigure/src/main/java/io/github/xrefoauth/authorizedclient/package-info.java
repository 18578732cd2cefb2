/**
 * Spring Security's authorized-client contract for Xref: an
 * {@code OAuth2AuthorizedClient} per Xref account, shared by every end user of the
 * tenants linked to it.
 */
@NullMarked
package io.github.xrefoauth.authorizedclient;

import org.jspecify.annotations.NullMarked;
