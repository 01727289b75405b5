package server_test

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
	slbsvc "slbcert/slb"
)

// TestReplicasShareState: what one replica writes, the other reads and
// changes; a signature nonce used on one is spent on both.
func TestReplicasShareState(t *testing.T) {
	a, b := e2e.StartReplicas(t)
	onA, onB := a.Calls(t, "cn-hangzhou", ""), b.Calls(t, "cn-hangzhou", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "replica.example.com", DNSNames: []string{"replica.example.com"}})

	up := onA.Upload(srv.ChainPEM, srv.KeyPEM, "from-a")
	list, err := onB.Describe(up.ServerCertificateId)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Fingerprint != e2e.Fingerprint(srv.Leaf) || list[0].ServerCertificateName != "from-a" ||
		list[0].CreateTime != up.CreateTime || list[0].ExpireTimeStamp != up.ExpireTimeStamp {
		t.Fatalf("B describes A's upload as %+v", list)
	}

	if err := onB.Rename(up.ServerCertificateId, "renamed-on-b"); err != nil {
		t.Fatal(err)
	}
	if err := onB.Tag([]string{up.ServerCertificateId}, "env", "prod"); err != nil {
		t.Fatal(err)
	}
	list, err = onA.Describe(up.ServerCertificateId)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ServerCertificateName != "renamed-on-b" ||
		!slices.Equal(list[0].Tags.Tag, []slb.Tag{{TagKey: "env", TagValue: "prod"}}) {
		t.Fatalf("A sees B's rename and tag as %+v", list)
	}
	tags, err := onA.ListTags([]string{up.ServerCertificateId}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if rows := tags.TagResources.TagResource; len(rows) != 1 || rows[0].TagKey != "env" || rows[0].TagValue != "prod" {
		t.Fatalf("A lists the tags %+v", rows)
	}

	if err := onB.Delete(up.ServerCertificateId); err != nil {
		t.Fatal(err)
	}
	if list, err = onA.Describe(up.ServerCertificateId); err != nil || len(list) != 0 {
		t.Fatalf("A still describes the certificate B deleted: %+v %v", list, err)
	}
	e2e.ServerError(t, onA.Delete(up.ServerCertificateId), "ServerCertificateId.NotFound", 400)

	// A V1 request, replayed word for word on the other replica, is refused
	// there: the nonce is spent in the shared database. Both ways round.
	for _, tc := range []struct {
		name        string
		first, then *e2e.Server
	}{{"a-then-b", a, b}, {"b-then-a", b, a}} {
		q := e2e.SignedQuery("GET", slbsvc.APIVersion, e2e.AccessKeyID, e2e.AccessKeySecret, "", url.Values{"Action": {"DescribeRegions"}, "SignatureNonce": {"replica-nonce-" + tc.name}})
		resp, err := http.Get(tc.first.URL() + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: first use of the nonce: %d", tc.name, resp.StatusCode)
		}
		resp, err = http.Get(tc.then.URL() + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		e2e.CheckErrorBody(t, resp, "SignatureNonceUsed", 400)
	}
}

// TestReplicasQuotaRace: uploads racing through both replicas against an
// account quota of 10 get exactly 10 acknowledgements and store exactly 10
// certificates; every other upload is OverQuota. The race is run in three
// regions, one after the other, since a lost race shows only sometimes.
func TestReplicasQuotaRace(t *testing.T) {
	a, b := e2e.StartReplicas(t)
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "race.example.com"})
	const perReplica, quota = 12, 10
	for _, region := range []string{"cn-hangzhou", "cn-shanghai", "cn-beijing"} {
		// Clients are made here: t.Fatal must not run in the goroutines.
		var clients []*slb.Client
		for range perReplica {
			clients = append(clients, a.Client(t, region, "AKQ-root", "q-root"), b.Client(t, region, "AKQ-root", "q-root"))
		}
		var (
			mu       sync.Mutex
			acked    []string
			over     int
			failures []error
			wg       sync.WaitGroup
			start    = make(chan struct{})
		)
		for _, c := range clients {
			wg.Go(func() {
				<-start
				resp, err := c.UploadServerCertificate(e2e.UploadRequest(region, srv.ChainPEM, srv.KeyPEM))
				mu.Lock()
				defer mu.Unlock()
				var se *sdkerrors.ServerError
				switch {
				case err == nil:
					acked = append(acked, resp.ServerCertificateId)
				case errors.As(err, &se) && se.ErrorCode() == "OverQuota" && se.HttpStatus() == 400:
					over++
				default:
					failures = append(failures, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("%s: uploads failed otherwise than OverQuota: %v", region, failures)
		}
		if len(acked) != quota || over != len(clients)-quota {
			t.Fatalf("%s: %d acknowledged, %d OverQuota of %d uploads; want %d and %d", region, len(acked), over, len(clients), quota, len(clients)-quota)
		}
		slices.Sort(acked)
		for name, s := range map[string]*e2e.Server{"A": a, "B": b} {
			var stored []string
			for _, c := range e2e.ServerCertificates(t, s.Client(t, region, "AKQ-root", "q-root"), region, "") {
				stored = append(stored, c.ServerCertificateId)
			}
			slices.Sort(stored)
			if !slices.Equal(stored, acked) {
				t.Fatalf("%s: %s stores %d certificates %v; acknowledged %d %v", region, name, len(stored), stored, len(acked), acked)
			}
		}
	}
	// The default account's quota is its own.
	if _, err := a.Client(t, "cn-hangzhou").UploadServerCertificate(e2e.UploadRequest("cn-hangzhou", srv.ChainPEM, srv.KeyPEM)); err != nil {
		t.Fatalf("another account, same region: %v", err)
	}
}
