package storetest

import (
	"context"
	"slbcert/slb"
	"testing"
	"time"
)

// testStats covers slb.StatsReader.
func testStats(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	if st, err := s.CertificateStats(ctx, time.Now()); err != nil || st != (slb.CertificateStats{}) {
		t.Fatalf("empty store: %+v %v", st, err)
	}
	a, b, ca := serverCert("sc-a", 1), serverCert("sc-b", 2), caCert("ca-1", 3)
	b.AccountID = otherAccount
	create(t, s, a, b, ca)
	// The fixtures expire a day apart in the order of their second argument:
	// a and b before the horizon, ca after it.
	horizon := b.ExpireTime.Add(time.Millisecond)
	if !a.ExpireTime.Before(horizon) || ca.ExpireTime.Before(horizon) {
		t.Fatal("fixtures changed: fix this test's horizon")
	}
	st, err := s.CertificateStats(ctx, horizon)
	if err != nil || st.Server != 2 || st.CA != 1 || st.ExpiringSoon != 2 {
		t.Fatalf("counts %+v %v, want 2 server, 1 CA, 2 expiring", st, err)
	}
	if st, _ := s.CertificateStats(ctx, time.Unix(0, 0)); st.ExpiringSoon != 0 {
		t.Fatalf("expiring before 1970: %d", st.ExpiringSoon)
	}
}
