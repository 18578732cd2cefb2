/**
 * What several packages of the starter share: judging Xref's answers, the token
 * endpoints' RestClient implementations, the observations, the event publisher and the
 * rate limit of warnings. Not for use by applications: any type here may change or go
 * without notice.
 */
@NullMarked
package io.github.xrefoauth.internal;

import org.jspecify.annotations.NullMarked;
