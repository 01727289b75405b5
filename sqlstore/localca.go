package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"slbcert/localca"
)

// LocalCA implements localca.Store.
func (t *Tables) LocalCA(ctx context.Context) (localca.Record, bool, error) {
	return readLocalCA(ctx, t.DB.Reader())
}

func readLocalCA(ctx context.Context, q querier) (localca.Record, bool, error) {
	var rec localca.Record
	var cert string
	err := q.QueryRow(ctx, "SELECT cert_pem, sealed_key FROM local_ca WHERE one = 1").Scan(&cert, &rec.SealedKey)
	if errors.Is(err, sql.ErrNoRows) {
		return localca.Record{}, false, nil
	}
	if err != nil {
		return localca.Record{}, false, fmt.Errorf("read the local CA: %w", err)
	}
	rec.CertPEM = []byte(cert)
	return rec, true, nil
}

// CreateLocalCA implements localca.Store: the first row stored stays.
func (t *Tables) CreateLocalCA(ctx context.Context, rec localca.Record) (localca.Record, error) {
	var stored localca.Record
	err := t.DB.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO local_ca (one, cert_pem, sealed_key, create_time_ms) VALUES (1, ?, ?, ?)
			ON CONFLICT (one) DO NOTHING`, string(rec.CertPEM), rec.SealedKey, millis(time.Now())); err != nil {
			return err
		}
		var ok bool
		var err error
		if stored, ok, err = readLocalCA(ctx, tx); err == nil && !ok {
			err = errors.New("the local CA row vanished")
		}
		return err
	})
	if err != nil {
		return localca.Record{}, fmt.Errorf("create the local CA: %w", err)
	}
	return stored, nil
}

// ReplaceLocalCA implements localca.Store.
func (t *Tables) ReplaceLocalCA(ctx context.Context, oldCertPEM []byte, rec localca.Record) (bool, error) {
	return t.updateLocalCA(ctx, "cert_pem = ?, sealed_key = ?, create_time_ms = ?", "cert_pem = ?",
		string(rec.CertPEM), rec.SealedKey, millis(time.Now()), string(oldCertPEM))
}

// ResealLocalCAKey implements localca.Store.
func (t *Tables) ResealLocalCAKey(ctx context.Context, old, new []byte) (bool, error) {
	return t.updateLocalCA(ctx, "sealed_key = ?", "sealed_key = ?", new, old)
}

func (t *Tables) updateLocalCA(ctx context.Context, set, where string, args ...any) (bool, error) {
	var n int64
	err := t.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, "UPDATE local_ca SET "+set+" WHERE one = 1 AND "+where, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("update the local CA: %w", err)
	}
	return n == 1, nil
}
