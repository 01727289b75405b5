-- Quotas read a counter instead of counting an owner's certificates, which
-- took time in proportion to how many there were. A trigger keeps the
-- counter exact whatever writes the certificates; the quota's advisory lock
-- still orders the creates of one owner (certificate.go).
CREATE TABLE certificate_counts (
	account_id TEXT   NOT NULL,
	region_id  TEXT   NOT NULL,
	kind       TEXT   NOT NULL,
	n          BIGINT NOT NULL,
	PRIMARY KEY (account_id, region_id, kind)
);

INSERT INTO certificate_counts (account_id, region_id, kind, n)
	SELECT account_id, region_id, kind, COUNT(*) FROM certificates GROUP BY account_id, region_id, kind;

CREATE FUNCTION slbcert_count_certificates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO certificate_counts (account_id, region_id, kind, n) VALUES (NEW.account_id, NEW.region_id, NEW.kind, 1)
		ON CONFLICT (account_id, region_id, kind) DO UPDATE SET n = certificate_counts.n + 1;
		RETURN NEW;
	END IF;
	UPDATE certificate_counts SET n = n - 1
	WHERE account_id = OLD.account_id AND region_id = OLD.region_id AND kind = OLD.kind;
	RETURN OLD;
END
$$;

CREATE TRIGGER certificates_counted AFTER INSERT OR DELETE ON certificates
	FOR EACH ROW EXECUTE FUNCTION slbcert_count_certificates();
