-- Keys that come from outside (tenant keys, Xref account ids, states) are VARBINARY so
-- that they compare byte for byte on MariaDB and MySQL alike: utf8mb4_bin pads, so
-- 'sara ' would equal 'sara'. 1020 bytes hold any 255 characters of utf8mb4.
-- An account whose token Xref rejected keeps its row without token (access_token,
-- token_hash and key_id NULL, rejected_at and rejected_by set) until a reconnect or a
-- disconnect. checked_at is when the health check last claimed the row.
CREATE TABLE IF NOT EXISTS xref_account (
	xref_account_id VARBINARY(1020) NOT NULL,
	access_token VARCHAR(2000),
	token_hash VARCHAR(64),
	connected_at BIGINT NOT NULL,
	connected_by VARCHAR(255) NOT NULL,
	key_id VARCHAR(64),
	rejected_at BIGINT,
	rejected_by VARCHAR(16),
	checked_at BIGINT DEFAULT 0 NOT NULL,
	CONSTRAINT xref_account_pk PRIMARY KEY (xref_account_id),
	INDEX xref_account_token_hash_ix (token_hash),
	INDEX xref_account_key_id_ix (key_id),
	INDEX xref_account_checked_at_ix (checked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS xref_tenant (
	tenant_key VARBINARY(1020) NOT NULL,
	xref_account_id VARBINARY(1020) NOT NULL,
	CONSTRAINT xref_tenant_pk PRIMARY KEY (tenant_key),
	INDEX xref_tenant_account_ix (xref_account_id),
	CONSTRAINT xref_tenant_account_fk FOREIGN KEY (xref_account_id) REFERENCES xref_account (xref_account_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Changes of accounts and tenant links, in commit order as far as the numbers go: every
-- instance reads the rows after the last one it read and drops what it cached of them.
CREATE TABLE IF NOT EXISTS xref_account_change (
	seq BIGINT NOT NULL AUTO_INCREMENT,
	xref_account_id VARBINARY(1020) NOT NULL,
	tenant_key VARBINARY(1020),
	changed_at BIGINT NOT NULL,
	CONSTRAINT xref_account_change_pk PRIMARY KEY (seq),
	INDEX xref_account_change_changed_at_ix (changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS xref_authorization_request (
	state VARBINARY(1020) NOT NULL,
	binding VARCHAR(64) NOT NULL,
	principal VARCHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	request TEXT NOT NULL,
	CONSTRAINT xref_authorization_request_pk PRIMARY KEY (state),
	INDEX xref_authorization_request_expires_ix (expires_at),
	INDEX xref_authorization_request_binding_ix (binding, created_at),
	INDEX xref_authorization_request_principal_ix (principal, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
