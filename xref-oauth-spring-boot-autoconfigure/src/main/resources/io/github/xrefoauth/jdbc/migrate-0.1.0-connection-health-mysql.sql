-- Adds what the connection health needs to an xref_account table created by an earlier
-- schema-mysql.sql (MariaDB or MySQL): tokens become optional (a rejected account keeps
-- its row without one), with when and by which call Xref rejected it, and when the
-- health check last claimed it. Run it once before starting the new version; the rows
-- are kept.
ALTER TABLE xref_account
	MODIFY access_token VARCHAR(2000) NULL,
	MODIFY token_hash VARCHAR(64) NULL,
	MODIFY key_id VARCHAR(64) NULL,
	ADD COLUMN rejected_at BIGINT NULL,
	ADD COLUMN rejected_by VARCHAR(16) NULL,
	ADD COLUMN checked_at BIGINT DEFAULT 0 NOT NULL,
	ADD INDEX xref_account_checked_at_ix (checked_at);
