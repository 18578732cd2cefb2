-- Adds what the connection health needs to an xref_account table created by an earlier
-- schema-postgresql.sql: tokens become optional (a rejected account keeps its row without
-- one), with when and by which call Xref rejected it, and when the health check last
-- claimed it. Run it once before starting the new version; the rows are kept.
ALTER TABLE xref_account
	ALTER COLUMN access_token DROP NOT NULL,
	ALTER COLUMN token_hash DROP NOT NULL,
	ALTER COLUMN key_id DROP NOT NULL,
	ADD COLUMN rejected_at BIGINT,
	ADD COLUMN rejected_by VARCHAR(16),
	ADD COLUMN checked_at BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX xref_account_checked_at_ix ON xref_account (checked_at);
