package io.github.xrefoauth.account;

import org.springframework.util.Assert;

/**
 * Thrown when an Xref API call has no connection to act for because Xref rejected the
 * token of the tenant's account: the tenant needs a reconnect, not a first connect.
 *
 * @since 0.1.0
 */
public class XrefReconnectNeededException extends XrefNotConnectedException {

	private final XrefConnectionStatus status;

	/**
	 * Creates an exception.
	 * @param message which tenant needs a reconnect
	 * @param status the tenant's status,
	 * {@link XrefConnectionStatus.State#RECONNECT_NEEDED}
	 */
	public XrefReconnectNeededException(String message, XrefConnectionStatus status) {
		super(message);
		Assert.isTrue(status.state() == XrefConnectionStatus.State.RECONNECT_NEEDED,
				"status must say that a reconnect is needed");
		this.status = status;
	}

	/**
	 * Returns the status of the tenant: who connected the account, when, and when and on
	 * which call Xref rejected its token.
	 * @return the status
	 */
	public XrefConnectionStatus getStatus() {
		return this.status;
	}

}
