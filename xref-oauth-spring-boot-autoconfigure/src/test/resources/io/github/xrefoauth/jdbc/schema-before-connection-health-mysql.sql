-- The account tables as schema-mysql.sql created them before the connection health columns.
CREATE TABLE xref_account (
	xref_account_id VARBINARY(1020) NOT NULL,
	access_token VARCHAR(2000) NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	connected_at BIGINT NOT NULL,
	connected_by VARCHAR(255) NOT NULL,
	key_id VARCHAR(64) NOT NULL,
	CONSTRAINT xref_account_pk PRIMARY KEY (xref_account_id),
	INDEX xref_account_token_hash_ix (token_hash),
	INDEX xref_account_key_id_ix (key_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE xref_tenant (
	tenant_key VARBINARY(1020) NOT NULL,
	xref_account_id VARBINARY(1020) NOT NULL,
	CONSTRAINT xref_tenant_pk PRIMARY KEY (tenant_key),
	INDEX xref_tenant_account_ix (xref_account_id),
	CONSTRAINT xref_tenant_account_fk FOREIGN KEY (xref_account_id) REFERENCES xref_account (xref_account_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
