package io.github.xrefoauth.account;

import java.time.Instant;

import org.springframework.util.Assert;

/**
 * A connected Xref account: its token and who connected it when. The token belongs to the
 * Xref account, which every end user of the linked tenants shares.
 *
 * @param xrefAccountId the Xref account
 * @param accessToken the token for API calls on behalf of the account
 * @param connectedAt when the account was connected
 * @param connectedBy the name of the end user who connected it
 * @since 0.1.0
 */
public record XrefConnection(String xrefAccountId, String accessToken, Instant connectedAt, String connectedBy) {

	public XrefConnection {
		Assert.hasText(xrefAccountId, "xrefAccountId cannot be empty");
		Assert.hasText(accessToken, "accessToken cannot be empty");
		Assert.notNull(connectedAt, "connectedAt cannot be null");
		Assert.hasText(connectedBy, "connectedBy cannot be empty");
	}

	@Override
	public String toString() {
		return "XrefConnection[xrefAccountId=" + this.xrefAccountId + ", accessToken=<hidden>, connectedAt="
				+ this.connectedAt + ", connectedBy=" + this.connectedBy + "]";
	}

}
