-- The account tables as schema-h2.sql and schema-postgresql.sql created them before the connection health columns.
CREATE TABLE xref_account (
	xref_account_id VARCHAR(255) NOT NULL,
	access_token VARCHAR(2000) NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	connected_at BIGINT NOT NULL,
	connected_by VARCHAR(255) NOT NULL,
	key_id VARCHAR(64) NOT NULL,
	CONSTRAINT xref_account_pk PRIMARY KEY (xref_account_id)
);

CREATE INDEX xref_account_token_hash_ix ON xref_account (token_hash);

CREATE INDEX xref_account_key_id_ix ON xref_account (key_id);

CREATE TABLE xref_tenant (
	tenant_key VARCHAR(255) NOT NULL,
	xref_account_id VARCHAR(255) NOT NULL,
	CONSTRAINT xref_tenant_pk PRIMARY KEY (tenant_key),
	CONSTRAINT xref_tenant_account_fk FOREIGN KEY (xref_account_id) REFERENCES xref_account (xref_account_id) ON DELETE CASCADE
);

CREATE INDEX xref_tenant_account_ix ON xref_tenant (xref_account_id);
