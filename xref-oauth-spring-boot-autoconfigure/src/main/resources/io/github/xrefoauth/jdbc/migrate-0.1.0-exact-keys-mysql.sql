-- Turns tables created by an earlier schema-mysql.sql (MariaDB or MySQL) into ones
-- whose tenant keys, Xref account ids and states compare byte for byte. Run it once,
-- with every instance stopped; the values stored are kept as they are.
ALTER TABLE xref_tenant DROP FOREIGN KEY xref_tenant_account_fk;

ALTER TABLE xref_account MODIFY xref_account_id VARBINARY(1020) NOT NULL;

ALTER TABLE xref_tenant
	MODIFY tenant_key VARBINARY(1020) NOT NULL,
	MODIFY xref_account_id VARBINARY(1020) NOT NULL,
	ADD CONSTRAINT xref_tenant_account_fk FOREIGN KEY (xref_account_id) REFERENCES xref_account (xref_account_id) ON DELETE CASCADE;

ALTER TABLE xref_authorization_request MODIFY state VARBINARY(1020) NOT NULL;
