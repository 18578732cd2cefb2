-- An account whose token Xref rejected keeps its row without token (access_token,
-- token_hash and key_id NULL, rejected_at and rejected_by set) until a reconnect or a
-- disconnect. checked_at is when the health check last claimed the row.
CREATE TABLE IF NOT EXISTS xref_account (
	xref_account_id VARCHAR(255) NOT NULL,
	access_token VARCHAR(2000),
	token_hash VARCHAR(64),
	connected_at BIGINT NOT NULL,
	connected_by VARCHAR(255) NOT NULL,
	key_id VARCHAR(64),
	rejected_at BIGINT,
	rejected_by VARCHAR(16),
	checked_at BIGINT DEFAULT 0 NOT NULL,
	CONSTRAINT xref_account_pk PRIMARY KEY (xref_account_id)
);

CREATE INDEX IF NOT EXISTS xref_account_token_hash_ix ON xref_account (token_hash);

CREATE INDEX IF NOT EXISTS xref_account_key_id_ix ON xref_account (key_id);

CREATE INDEX IF NOT EXISTS xref_account_checked_at_ix ON xref_account (checked_at);

CREATE TABLE IF NOT EXISTS xref_tenant (
	tenant_key VARCHAR(255) NOT NULL,
	xref_account_id VARCHAR(255) NOT NULL,
	CONSTRAINT xref_tenant_pk PRIMARY KEY (tenant_key),
	CONSTRAINT xref_tenant_account_fk FOREIGN KEY (xref_account_id) REFERENCES xref_account (xref_account_id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS xref_tenant_account_ix ON xref_tenant (xref_account_id);

-- Changes of accounts and tenant links, in commit order as far as the numbers go: every
-- instance reads the rows after the last one it read and drops what it cached of them.
CREATE TABLE IF NOT EXISTS xref_account_change (
	seq BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
	xref_account_id VARCHAR(255) NOT NULL,
	tenant_key VARCHAR(255),
	changed_at BIGINT NOT NULL,
	CONSTRAINT xref_account_change_pk PRIMARY KEY (seq)
);

CREATE INDEX IF NOT EXISTS xref_account_change_changed_at_ix ON xref_account_change (changed_at);

CREATE TABLE IF NOT EXISTS xref_authorization_request (
	state VARCHAR(255) NOT NULL,
	binding VARCHAR(64) NOT NULL,
	principal VARCHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	request TEXT NOT NULL,
	CONSTRAINT xref_authorization_request_pk PRIMARY KEY (state)
);

CREATE INDEX IF NOT EXISTS xref_authorization_request_expires_ix ON xref_authorization_request (expires_at);
CREATE INDEX IF NOT EXISTS xref_authorization_request_binding_ix ON xref_authorization_request (binding, created_at);
CREATE INDEX IF NOT EXISTS xref_authorization_request_principal_ix ON xref_authorization_request (principal, created_at);
