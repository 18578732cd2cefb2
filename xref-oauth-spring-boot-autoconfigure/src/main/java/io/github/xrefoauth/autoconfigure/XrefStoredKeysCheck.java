package io.github.xrefoauth.autoconfigure;

import java.util.List;

import io.github.xrefoauth.jdbc.JdbcXrefAccountStore;
import io.github.xrefoauth.jdbc.XrefTokenKeyException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Fails start-up when the stored tokens name a key that is not configured or that does
 * not decrypt them, naming the key id and the property to set.
 */
final class XrefStoredKeysCheck {

	private static final Log logger = LogFactory.getLog(XrefStoredKeysCheck.class);

	private XrefStoredKeysCheck() {
	}

	static void check(JdbcXrefAccountStore store) {
		List<String> keyIds;
		try {
			keyIds = store.checkStoredKeys();
		}
		catch (XrefTokenKeyException ex) {
			throw failure(ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Stored Xref access tokens name the keys " + keyIds);
		}
	}

	private static XrefJdbcStoreConfigurationException failure(XrefTokenKeyException ex) {
		String keyId = ex.getKeyId();
		String property = XrefTokenCipherFactory.PREFIX + "keys." + keyId + ".secret";
		String checked = (ex.getXrefAccountId() != null)
				? " (checked on the token of Xref account '" + ex.getXrefAccountId() + "')" : "";
		if (!ex.isKeyConfigured()) {
			return new XrefJdbcStoreConfigurationException(
					"Stored Xref access tokens were encrypted with key '" + keyId + "', which is not configured: "
							+ property + " is not set" + checked + ".",
					"Set " + property + " to the key that encrypted them, beside the current key, until "
							+ "JdbcXrefAccountStore#reencryptAll() has rewritten them. If that key is lost, its tokens "
							+ "cannot be read: delete their rows (DELETE FROM xref_account WHERE key_id = '" + keyId
							+ "') and let those tenants connect again.",
					ex);
		}
		return new XrefJdbcStoreConfigurationException(
				"Stored Xref access tokens were encrypted with key '" + keyId + "', but " + property
						+ " does not decrypt them" + checked
						+ ": it differs from the secret that encrypted them, or the stored value was altered.",
				"Set " + property + " to the secret that encrypted them. A new secret needs a new key id (see "
						+ XrefTokenCipherFactory.PREFIX + "current-key-id); keep the old key under its id until "
						+ "JdbcXrefAccountStore#reencryptAll() has run.",
				ex);
	}

}
