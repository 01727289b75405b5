package metrics

import (
	"context"
	"slbcert/slb"
	"time"

	"slbcert"
)

// WatchStore returns s with every call timed into slbcert_store_duration_seconds.
func (m *Metrics) WatchStore(s slb.CertificateStore) slb.CertificateStore {
	return &timedStore{s: s, m: m}
}

type timedStore struct {
	s slb.CertificateStore
	m *Metrics
}

func (t *timedStore) observe(op string, start time.Time) {
	t.m.store.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func (t *timedStore) CreateCertificate(ctx context.Context, c *slb.Certificate, limit int) error {
	defer t.observe("create", time.Now())
	return t.s.CreateCertificate(ctx, c, limit)
}

func (t *timedStore) FindCertificates(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	defer t.observe("find", time.Now())
	return t.s.FindCertificates(ctx, f)
}

func (t *timedStore) RenameCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id, name string) error {
	defer t.observe("rename", time.Now())
	return t.s.RenameCertificate(ctx, accountID, regionID, kind, id, name)
}

func (t *timedStore) DeleteCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id string) error {
	defer t.observe("delete", time.Now())
	return t.s.DeleteCertificate(ctx, accountID, regionID, kind, id)
}

func (t *timedStore) MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error {
	defer t.observe("move", time.Now())
	return t.s.MoveCertificate(ctx, accountID, regionID, id, resourceGroupID)
}

func (t *timedStore) UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	defer t.observe("update_tags", time.Now())
	return t.s.UpdateTags(ctx, accountID, regionID, ids, set, remove, removeAll, max)
}

func (t *timedStore) UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	defer t.observe("use_nonce", time.Now())
	return t.s.UseNonce(ctx, accessKeyID, nonce, expires)
}

func (t *timedStore) Ping(ctx context.Context) error {
	defer t.observe("ping", time.Now())
	return t.s.Ping(ctx)
}

func (t *timedStore) Close() error { return t.s.Close() }
