/**
 * The servlet adapters: the connect start and callback filters, the pending requests in
 * the HTTP session, the not-connected handling and the Spring Security configurer. Every
 * rule they apply lives in the stack-neutral packages.
 */
@NullMarked
package io.github.xrefoauth.web;

import org.jspecify.annotations.NullMarked;
