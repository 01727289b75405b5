package sqlstore

import (
	"context"
	"fmt"

	"slbcert"
)

// servedWhere selects the listeners l a data plane serves: running, of
// active load balancers b. Stopped listeners are left out of snapshots: a
// data plane serves none of them, and a snapshot is read after every
// change, so its cost must follow what is served, not what is configured
// (the partial index lb_listeners_running holds the running ones).
const servedWhere = "b.status = 'active' AND l.status = 'running'"

// snapshotCertificateColumns are the columns of certificates both stores
// lay out alike (SANs and flags differ in type, and a data plane needs
// neither).
const snapshotCertificateColumns = `c.id, c.kind, c.account_id, c.region_id, c.name, c.fingerprint, c.common_name,
	c.encryption_algorithm, c.encryption_key_length, c.create_time_ms, c.expire_time_ms, c.certificate_pem, c.sealed_private_key`

// DataPlaneSnapshot implements slbcert.LoadBalancerStore, in one read
// transaction (one snapshot on both databases).
func (t *Tables) DataPlaneSnapshot(ctx context.Context) (*slbcert.DataPlaneSnapshot, error) {
	snap := &slbcert.DataPlaneSnapshot{
		LoadBalancers:     []*slbcert.DataPlaneLoadBalancer{},
		Certificates:      map[string]*slbcert.Certificate{},
		TLSCipherPolicies: map[string]*slbcert.TLSCipherPolicy{},
	}
	err := t.DB.Read(ctx, func(tx *Tx) error {
		lbs, err := t.queryLoadBalancers(ctx, tx, "b.status = ?", slbcert.LoadBalancerActive)
		if err != nil {
			return err
		}
		byID := map[string]*slbcert.DataPlaneLoadBalancer{}
		for _, lb := range lbs {
			d := &slbcert.DataPlaneLoadBalancer{LoadBalancer: lb, Listeners: []*slbcert.Listener{}, VServerGroups: []*slbcert.VServerGroup{}}
			snap.LoadBalancers = append(snap.LoadBalancers, d)
			byID[lb.ID] = d
		}
		listeners, err := t.queryListeners(ctx, tx, servedWhere)
		if err != nil {
			return err
		}
		for _, l := range listeners {
			if d := byID[l.LoadBalancerID]; d != nil {
				d.Listeners = append(d.Listeners, l)
			}
		}
		groups, err := t.queryVServerGroups(ctx, tx, "b.status = ?", slbcert.LoadBalancerActive)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if d := byID[g.LoadBalancerID]; d != nil {
				d.VServerGroups = append(d.VServerGroups, g)
			}
		}
		// The references are collected here and read by id: a subquery
		// over the listeners lets SQLite plan a scan of all of them.
		certs, policies := []string{}, []string{}
		for _, l := range listeners {
			for _, id := range []string{l.ServerCertificateID, l.CACertificateID} {
				if id != "" {
					certs = append(certs, id)
				}
			}
			for _, e := range l.DomainExtensions {
				certs = append(certs, e.ServerCertificateID)
			}
			if slbcert.IsCustomTLSCipherPolicy(l.TLSCipherPolicy) {
				policies = append(policies, l.TLSCipherPolicy)
			}
		}
		if err := t.snapshotCertificates(ctx, tx, snap, certs); err != nil {
			return err
		}
		for _, chunk := range inChunks(policies) {
			in, args := inList(chunk)
			found, err := t.queryTLSCipherPolicies(ctx, tx, "p.id IN "+in, args...)
			if err != nil {
				return err
			}
			for _, p := range found {
				snap.TLSCipherPolicies[p.ID] = p
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data plane snapshot: %w", err)
	}
	return snap, nil
}

// snapshotCertificates reads the certificates ids, which served
// listeners and their extensions reference.
func (t *Tables) snapshotCertificates(ctx context.Context, tx *Tx, snap *slbcert.DataPlaneSnapshot, ids []string) error {
	for _, chunk := range inChunks(ids) {
		if err := t.readSnapshotCertificates(ctx, tx, snap, chunk); err != nil {
			return err
		}
	}
	return nil
}

// inChunks splits ids, deduplicated in their order, into lists short
// enough for an IN list (inList) under any database's limit on bound
// parameters.
func inChunks(ids []string) [][]string {
	const size = 500
	seen := map[string]bool{}
	var out [][]string
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(out) == 0 || len(out[len(out)-1]) == size {
			out = append(out, make([]string, 0, min(size, len(ids))))
		}
		out[len(out)-1] = append(out[len(out)-1], id)
	}
	return out
}

func (t *Tables) readSnapshotCertificates(ctx context.Context, tx *Tx, snap *slbcert.DataPlaneSnapshot, ids []string) error {
	in, args := inList(ids)
	rows, err := tx.Query(ctx, "SELECT "+snapshotCertificateColumns+" FROM certificates c WHERE c.id IN "+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                slbcert.Certificate
			kind             string
			created, expires int64
		)
		if err := rows.Scan(&c.ID, &kind, &c.AccountID, &c.RegionID, &c.Name, &c.Fingerprint, &c.CommonName,
			&c.EncryptionAlgorithm, &c.EncryptionKeyLength, &created, &expires, &c.CertificatePEM, &c.SealedPrivateKey); err != nil {
			return err
		}
		c.Kind = slbcert.CertificateKind(kind)
		c.CreateTime, c.ExpireTime = fromMillis(created), fromMillis(expires)
		c.SubjectAlternativeNames, c.Tags = []string{}, []slbcert.Tag{}
		snap.Certificates[c.ID] = &c
	}
	return rows.Err()
}

// SubscribeLoadBalancers implements slbcert.LoadBalancerStore: this
// process's commits. (Other replicas' commits are announced through
// PostgreSQL NOTIFY on the same channel.)
func (t *Tables) SubscribeLoadBalancers() (<-chan struct{}, func()) {
	return t.DB.Subscribe(slbcert.LoadBalancerNotifyChannel)
}

var _ slbcert.LoadBalancerStore = (*Tables)(nil)
