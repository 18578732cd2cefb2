package io.github.xrefoauth.token;

import org.springframework.util.Assert;

/**
 * What Xref's token endpoint returns: an access token for one Xref account.
 *
 * @param accessToken the token that authorizes API calls for the account
 * @param xrefAccountId the Xref account the token belongs to
 * @since 0.1.0
 */
public record XrefTokenResponse(String accessToken, String xrefAccountId) {

	public XrefTokenResponse {
		Assert.hasText(accessToken, "accessToken cannot be empty");
		Assert.hasText(xrefAccountId, "xrefAccountId cannot be empty");
	}

	@Override
	public String toString() {
		return "XrefTokenResponse[xrefAccountId=" + this.xrefAccountId + ", accessToken=<hidden>]";
	}

}
