-- Quotas read a counter instead of counting an owner's certificates, which
-- took time in proportion to how many there were. Triggers keep the counter
-- exact whatever writes the certificates.
CREATE TABLE certificate_counts (
	account_id TEXT NOT NULL,
	region_id  TEXT NOT NULL,
	kind       TEXT NOT NULL,
	n          INTEGER NOT NULL,
	PRIMARY KEY (account_id, region_id, kind)
) WITHOUT ROWID;

INSERT INTO certificate_counts (account_id, region_id, kind, n)
	SELECT account_id, region_id, kind, COUNT(*) FROM certificates GROUP BY account_id, region_id, kind;

CREATE TRIGGER certificates_counted_in AFTER INSERT ON certificates BEGIN
	INSERT INTO certificate_counts (account_id, region_id, kind, n) VALUES (NEW.account_id, NEW.region_id, NEW.kind, 1)
	ON CONFLICT (account_id, region_id, kind) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER certificates_counted_out AFTER DELETE ON certificates BEGIN
	UPDATE certificate_counts SET n = n - 1
	WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND kind = OLD.kind;
END;
