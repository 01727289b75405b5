package sqlstore

import (
	"context"
	"fmt"

	"slbcert"
)

// servedListeners selects the listeners l a data plane serves: running,
// of active load balancers b.
const servedListeners = "SELECT %s FROM lb_listeners l JOIN load_balancers b ON b.id = l.load_balancer_id WHERE " + servedWhere

// servedWhere is servedListeners' condition. Stopped listeners are left
// out of snapshots: a data plane serves none of them, and a snapshot is
// read after every change, so its cost follows what is served, not what
// is configured.
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
		if err := t.snapshotCertificates(ctx, tx, snap); err != nil {
			return err
		}
		policies, err := t.queryTLSCipherPolicies(ctx, tx, "p.id IN ("+fmt.Sprintf(servedListeners, "l.tls_cipher_policy_id")+")")
		if err != nil {
			return err
		}
		for _, p := range policies {
			snap.TLSCipherPolicies[p.ID] = p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data plane snapshot: %w", err)
	}
	return snap, nil
}

// snapshotCertificates reads every certificate a served listener or its
// extensions reference.
func (t *Tables) snapshotCertificates(ctx context.Context, tx *Tx, snap *slbcert.DataPlaneSnapshot) error {
	rows, err := tx.Query(ctx, "SELECT "+snapshotCertificateColumns+" FROM certificates c WHERE c.id IN ("+
		fmt.Sprintf(servedListeners, "l.server_certificate_id")+" UNION "+
		fmt.Sprintf(servedListeners, "l.ca_certificate_id")+
		" UNION SELECT e.server_certificate_id FROM lb_domain_extensions e JOIN lb_listeners l ON l.load_balancer_id = e.load_balancer_id AND l.port = e.listener_port"+
		" JOIN load_balancers b ON b.id = e.load_balancer_id WHERE "+servedWhere+")")
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
