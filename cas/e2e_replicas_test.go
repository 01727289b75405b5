package cas_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"slbcert/internal/e2e"
)

// TestCatalogOnReplicas: two servers on one PostgreSQL share the catalog:
// what one uploads the other reads (key included), copies into SLB and
// deletes; ids from both only grow; racing uploads of one name store one.
func TestCatalogOnReplicas(t *testing.T) {
	a, b := e2e.StartReplicas(t)
	ca, cb := a.CASClient(t), b.CASClient(t)
	pki := e2e.NewCatalogPKI(t, "rsa2048", "replicas.example.com", nil, time.Time{}, time.Time{})

	id := e2e.UploadUserCertificate(t, ca, "from-a", pki.CertPEM, pki.KeyPEM)
	if d := e2e.GetUserCertificateDetail(t, cb, id, false); d.Key != pki.KeyPEM || d.Cert != pki.CertPEM || d.Name != "from-a" {
		t.Fatalf("B reads A's entry as %+v", d)
	}
	up, err := b.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.FromCatalog("cn-hangzhou", fmt.Sprint(id), "from-a"))
	if err != nil || up.Fingerprint != e2e.Fingerprint(pki.Leaf) {
		t.Fatalf("B's SLB copy of A's entry: %+v, %v", up, err)
	}
	if next := e2e.UploadUserCertificate(t, cb, "from-b", pki.CertPEM, pki.KeyPEM); next <= id {
		t.Errorf("B's id %d after A's %d", next, id)
	}

	// Both replicas race to upload the same name: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ca
			if i%2 == 1 {
				c = cb
			}
			_, errs[i] = a.CASCall(t, c, "2020-04-07", "UploadUserCertificate", map[string]string{"Name": "raced", "Cert": pki.CertPEM, "Key": pki.KeyPEM})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			e2e.ServerError(t, err, "InvalidParameter.Name", 400)
		}
	}
	if won != 1 {
		t.Errorf("%d uploads of one name succeeded", won)
	}

	if _, err := b.CASCall(t, cb, "2020-04-07", "DeleteUserCertificate", map[string]string{"CertId": fmt.Sprint(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = a.CASCall(t, ca, "2020-04-07", "GetUserCertificateDetail", map[string]string{"CertId": fmt.Sprint(id)})
	e2e.ServerError(t, err, "NotFound", 404)
}
