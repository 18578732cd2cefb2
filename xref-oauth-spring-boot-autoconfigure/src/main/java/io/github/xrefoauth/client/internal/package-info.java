/**
 * How calls to Xref are made: the interceptor and filter function that add the token of a
 * call, the HTTP transport shared by every call, the bound on concurrent calls and the
 * HTTP service group's configurer. Not for use by applications: any type here may change
 * or go without notice; applications use the {@code xrefRestClient} and
 * {@code xrefWebClient} beans.
 */
@NullMarked
package io.github.xrefoauth.client.internal;

import org.jspecify.annotations.NullMarked;
