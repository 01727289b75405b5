package sqlstore

import (
	"context"
	"fmt"
	"slbcert/slb"

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

// DataPlaneSnapshot implements slb.LoadBalancerStore, in one read
// transaction (one snapshot on both databases).
func (t *Tables) DataPlaneSnapshot(ctx context.Context) (*slb.DataPlaneSnapshot, error) {
	snap := &slb.DataPlaneSnapshot{
		LoadBalancers:     []*slb.DataPlaneLoadBalancer{},
		Certificates:      map[string]*slb.Certificate{},
		TLSCipherPolicies: map[string]*slb.TLSCipherPolicy{},
		ACLs:              map[string]*slb.ACL{},
	}
	err := t.DB.Read(ctx, func(tx *Tx) error {
		// The served listeners first: they come by load balancer, oldest
		// first, and only their load balancers are read, with their
		// groups and extensions, by id (an active load balancer without a
		// running listener serves nothing).
		listeners, err := t.queryListenersAlone(ctx, tx, servedWhere)
		if err != nil {
			return err
		}
		byID := map[string]*slb.DataPlaneLoadBalancer{}
		var lbIDs []string
		for _, l := range listeners {
			d := byID[l.LoadBalancerID]
			if d == nil {
				d = &slb.DataPlaneLoadBalancer{Listeners: []*slb.Listener{}, VServerGroups: []*slb.VServerGroup{}}
				snap.LoadBalancers = append(snap.LoadBalancers, d)
				byID[l.LoadBalancerID] = d
				lbIDs = append(lbIDs, l.LoadBalancerID)
			}
			d.Listeners = append(d.Listeners, l)
		}
		served := byListenerKey(listeners)
		for _, chunk := range inChunks(lbIDs) {
			if err := t.snapshotLoadBalancers(ctx, tx, byID, served, chunk); err != nil {
				return err
			}
		}
		// The references are collected here and read by id: a subquery
		// over the listeners lets SQLite plan a scan of all of them.
		certs, policies, acls := []string{}, []string{}, []string{}
		for _, l := range listeners {
			acls = append(acls, l.ACLIDs...)
			for _, id := range []string{l.ServerCertificateID, l.CACertificateID} {
				if id != "" {
					certs = append(certs, id)
				}
			}
			for _, e := range l.DomainExtensions {
				certs = append(certs, e.ServerCertificateID)
			}
			if slb.IsCustomTLSCipherPolicy(l.TLSCipherPolicy) {
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
		for _, chunk := range inChunks(acls) {
			in, args := inList(chunk)
			found, err := t.queryACLs(ctx, tx, "a.id IN "+in, args...)
			if err != nil {
				return err
			}
			for _, a := range found {
				snap.ACLs[a.ID] = a
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data plane snapshot: %w", err)
	}
	return snap, nil
}

// snapshotLoadBalancers fills in the load balancers ids of byID, their
// VServer groups, and the domain extensions of their served listeners.
func (t *Tables) snapshotLoadBalancers(ctx context.Context, tx *Tx, byID map[string]*slb.DataPlaneLoadBalancer,
	served map[listenerKey]*slb.Listener, ids []string) error {
	in, args := inList(ids)
	lbs, err := t.queryLoadBalancers(ctx, tx, "b.id IN "+in, args...)
	if err != nil {
		return err
	}
	for _, lb := range lbs {
		byID[lb.ID].LoadBalancer = lb
	}
	groups, err := t.queryVServerGroups(ctx, tx, "g.load_balancer_id IN "+in, args...)
	if err != nil {
		return err
	}
	for _, g := range groups {
		byID[g.LoadBalancerID].VServerGroups = append(byID[g.LoadBalancerID].VServerGroups, g)
	}
	exts, err := t.queryDomainExtensions(ctx, tx, "e.load_balancer_id IN "+in, args...)
	if err != nil {
		return err
	}
	attachDomainExtensions(served, exts)
	return t.attachListenerACLs(ctx, tx, served, "l.load_balancer_id IN "+in, args...)
}

// snapshotCertificates reads the certificates ids, which served
// listeners and their extensions reference.
func (t *Tables) snapshotCertificates(ctx context.Context, tx *Tx, snap *slb.DataPlaneSnapshot, ids []string) error {
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

func (t *Tables) readSnapshotCertificates(ctx context.Context, tx *Tx, snap *slb.DataPlaneSnapshot, ids []string) error {
	in, args := inList(ids)
	rows, err := tx.Query(ctx, "SELECT "+snapshotCertificateColumns+" FROM certificates c WHERE c.id IN "+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                slb.Certificate
			kind             string
			created, expires int64
		)
		if err := rows.Scan(&c.ID, &kind, &c.AccountID, &c.RegionID, &c.Name, &c.Fingerprint, &c.CommonName,
			&c.EncryptionAlgorithm, &c.EncryptionKeyLength, &created, &expires, &c.CertificatePEM, &c.SealedPrivateKey); err != nil {
			return err
		}
		c.Kind = slb.CertificateKind(kind)
		c.CreateTime, c.ExpireTime = fromMillis(created), fromMillis(expires)
		c.SubjectAlternativeNames, c.Tags = []string{}, []slbcert.Tag{}
		snap.Certificates[c.ID] = &c
	}
	return rows.Err()
}

// SubscribeLoadBalancers implements slb.LoadBalancerStore: this
// process's commits. (Other replicas' commits are announced through
// PostgreSQL NOTIFY on the same channel.)
func (t *Tables) SubscribeLoadBalancers() (<-chan struct{}, func()) {
	return t.DB.Subscribe(slb.LoadBalancerNotifyChannel)
}

var _ slb.LoadBalancerStore = (*Tables)(nil)
