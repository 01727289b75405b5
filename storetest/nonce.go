package storetest

import (
	"context"
	"slbcert/rpc"
	"sync"
	"testing"
	"time"
)

// RunNonces runs the gateway's nonce suite (rpc.Nonces) against the
// stores open makes, each fresh and empty, as RunCertificates does.
func RunNonces(t *testing.T, open func(t *testing.T) rpc.Nonces) {
	t.Helper()
	t.Run("UseNonce", func(t *testing.T) { testUseNonce(t, open) })
}

func testUseNonce(t *testing.T, open func(t *testing.T) rpc.Nonces) {
	ctx := context.Background()
	use := func(t *testing.T, s rpc.Nonces, key, nonce string, expires time.Time, want bool) {
		t.Helper()
		got, err := s.UseNonce(ctx, key, nonce, expires)
		if err != nil {
			t.Fatalf("UseNonce(%s, %s): %v", key, nonce, err)
		}
		if got != want {
			t.Errorf("UseNonce(%s, %s, %v) = %v, want %v", key, nonce, expires, got, want)
		}
	}
	// Expiry times are far from the wall clock, so the outcome does not
	// depend on how fast the test runs.
	future := time.Now().Add(time.Hour)
	past := time.Now().Add(-time.Hour)

	t.Run("first use true, replay false", func(t *testing.T) {
		s := open(t)
		use(t, s, "LTAIkey1", "n-1", future, true)
		use(t, s, "LTAIkey1", "n-1", future, false)
		use(t, s, "LTAIkey1", "n-1", future.Add(time.Hour), false)
		use(t, s, "LTAIkey1", "n-1", past, false)
	})

	t.Run("the pair counts, not the nonce or the key alone", func(t *testing.T) {
		s := open(t)
		use(t, s, "LTAIkey1", "n-1", future, true)
		use(t, s, "LTAIkey2", "n-1", future, true)
		use(t, s, "LTAIkey1", "n-2", future, true)
		use(t, s, "LTAIkey2", "n-1", future, false)
		use(t, s, "ltaikey1", "n-1", future, true)
		use(t, s, "LTAIkey1", "N-1", future, true)
	})

	t.Run("an expired record is forgotten", func(t *testing.T) {
		s := open(t)
		use(t, s, "LTAIkey1", "n-1", past, true) // expires in the past: expired at once
		use(t, s, "LTAIkey1", "n-1", past, true)
		use(t, s, "LTAIkey1", "n-1", time.Now().Add(-time.Second), true)
		use(t, s, "LTAIkey1", "n-1", time.Now().Add(-time.Second), true)
		use(t, s, "LTAIkey1", "n-1", future, true)
		use(t, s, "LTAIkey1", "n-1", future, false) // remembered until the new expiry
		use(t, s, "LTAIkey1", "n-1", past, false)
	})

	t.Run("concurrent uses of one nonce: exactly one wins", func(t *testing.T) {
		s := open(t)
		const n = 16
		var wg sync.WaitGroup
		results := make(chan bool, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.UseNonce(ctx, "LTAIkey1", "n-race", future)
				if err != nil {
					t.Error(err)
				}
				results <- ok
			}()
		}
		wg.Wait()
		close(results)
		wins := 0
		for ok := range results {
			if ok {
				wins++
			}
		}
		if wins != 1 {
			t.Errorf("%d of %d concurrent uses succeeded, want 1", wins, n)
		}
	})
}
