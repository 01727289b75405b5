package storetest

import (
	"bytes"
	"context"
	"errors"
	"slbcert/rpc"
	"slbcert/slb"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"slbcert"
)

// TestReference runs the suites on memStore and memNonces,
// implementations that share nothing with any database, so that the
// suites are checked to demand the documented behaviour and not one
// store's accidents.
func TestReference(t *testing.T) {
	RunCertificates(t, func(t *testing.T) CertificateStore { return &memStore{} })
	RunNonces(t, func(t *testing.T) rpc.Nonces { return &memNonces{} })
	RunLifecycle(t, func(t *testing.T) Lifecycle { return &memStore{} })
}

// memStore is the simplest certificate store that passes the suite: one
// lock, copies in and out.
type memStore struct {
	mu     sync.Mutex
	closed bool
	certs  map[string]*slb.Certificate
}

func (m *memStore) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return errors.New("closed")
	}
	if m.certs == nil {
		m.certs = map[string]*slb.Certificate{}
	}
	return nil
}

func (m *memStore) CreateCertificate(ctx context.Context, c *slb.Certificate, limit int) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if _, ok := m.certs[c.ID]; ok {
		return errors.New("duplicate id")
	}
	seen := map[string]bool{}
	for _, t := range c.Tags {
		if seen[t.Key] {
			return errors.New("duplicate tag key")
		}
		seen[t.Key] = true
	}
	n := 0
	for _, d := range m.certs {
		if d.AccountID == c.AccountID && d.RegionID == c.RegionID && d.Kind == c.Kind {
			n++
		}
	}
	if n >= limit {
		return slbcert.ErrQuotaExceeded
	}
	m.certs[c.ID] = stored(c)
	return nil
}

func (m *memStore) FindCertificates(ctx context.Context, f slb.CertificateFilter) ([]*slb.Certificate, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := []*slb.Certificate{}
	for _, c := range m.certs {
		if c.AccountID != f.AccountID || c.RegionID != f.RegionID ||
			f.Kind != "" && c.Kind != f.Kind ||
			len(f.IDs) > 0 && !slices.Contains(f.IDs, c.ID) ||
			f.ResourceGroupID != "" && c.ResourceGroupID != f.ResourceGroupID {
			continue
		}
		ok := true
		for _, tf := range f.Tags {
			i := slices.IndexFunc(c.Tags, func(t slbcert.Tag) bool { return t.Key == tf.Key })
			ok = ok && i >= 0 && (tf.MatchAnyValue && tf.Value == "" || c.Tags[i].Value == tf.Value)
		}
		if ok {
			out = append(out, clone(c))
		}
	}
	slices.SortFunc(out, func(a, b *slb.Certificate) int {
		if c := a.CreateTime.Compare(b.CreateTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// one returns the certificate id of the owner (and kind, unless empty).
func (m *memStore) one(accountID, regionID string, kind slb.CertificateKind, id string) (*slb.Certificate, error) {
	c := m.certs[id]
	if c == nil || c.AccountID != accountID || c.RegionID != regionID || kind != "" && c.Kind != kind {
		return nil, slbcert.ErrNotFound
	}
	return c, nil
}

func (m *memStore) RenameCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id, name string) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	c, err := m.one(accountID, regionID, kind, id)
	if err == nil {
		c.Name = name
	}
	return err
}

func (m *memStore) DeleteCertificate(ctx context.Context, accountID, regionID string, kind slb.CertificateKind, id string) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	_, err := m.one(accountID, regionID, kind, id)
	if err == nil {
		delete(m.certs, id)
	}
	return err
}

func (m *memStore) MoveCertificate(ctx context.Context, accountID, regionID, id, resourceGroupID string) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	c, err := m.one(accountID, regionID, "", id)
	if err == nil {
		c.ResourceGroupID = resourceGroupID
	}
	return err
}

func (m *memStore) UpdateTags(ctx context.Context, accountID, regionID string, ids []string, set []slbcert.Tag, remove []string, removeAll bool, max int) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	next := map[string][]slbcert.Tag{}
	for _, id := range ids {
		c, err := m.one(accountID, regionID, "", id)
		if err != nil {
			return err
		}
		tags := []slbcert.Tag{}
		if !removeAll {
			for _, t := range c.Tags {
				if !slices.Contains(remove, t.Key) {
					tags = append(tags, t)
				}
			}
		}
		for _, s := range set {
			if i := slices.IndexFunc(tags, func(t slbcert.Tag) bool { return t.Key == s.Key }); i >= 0 {
				tags[i].Value = s.Value
			} else {
				tags = append(tags, s)
			}
		}
		if len(tags) > max {
			return slbcert.ErrTagLimit
		}
		next[id] = tags
	}
	for id, tags := range next {
		m.certs[id].Tags = tags
	}
	return nil
}

func (m *memStore) SealedKeys(ctx context.Context, afterID string, limit int) ([]slbcert.SealedKey, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := []slbcert.SealedKey{}
	for id, c := range m.certs {
		if id > afterID && c.SealedPrivateKey != nil {
			out = append(out, slbcert.SealedKey{ID: id, AccountID: c.AccountID, Blob: slices.Clone(c.SealedPrivateKey)})
		}
	}
	slices.SortFunc(out, func(a, b slbcert.SealedKey) int { return strings.Compare(a.ID, b.ID) })
	return out[:min(limit, len(out))], nil
}

func (m *memStore) ResealKey(ctx context.Context, id string, old, new []byte) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	c := m.certs[id]
	if c == nil || !bytes.Equal(c.SealedPrivateKey, old) {
		return slbcert.ErrNotFound
	}
	c.SealedPrivateKey = slices.Clone(new)
	return nil
}

func (m *memStore) CertificateStats(ctx context.Context, horizon time.Time) (slb.CertificateStats, error) {
	if err := m.lock(ctx); err != nil {
		return slb.CertificateStats{}, err
	}
	defer m.mu.Unlock()
	var st slb.CertificateStats
	for _, c := range m.certs {
		soon := 0
		if c.ExpireTime.Before(horizon) {
			soon = 1
		}
		st.Add(c.Kind, 1, soon)
	}
	return st, nil
}

func (m *memStore) Ping(ctx context.Context) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	m.mu.Unlock()
	return nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// memNonces is the simplest rpc.Nonces that passes the suite.
type memNonces struct {
	mu     sync.Mutex
	nonces map[[2]string]time.Time
}

func (m *memNonces) UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonces == nil {
		m.nonces = map[[2]string]time.Time{}
	}
	k := [2]string{accessKeyID, nonce}
	if old, ok := m.nonces[k]; ok && old.After(time.Now()) {
		return false, nil
	}
	m.nonces[k] = expires
	return true, nil
}
