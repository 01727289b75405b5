package dataplane

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"sync"
)

// keyPairs parses certificates once and keeps them while a configuration
// uses them: every snapshot carries every listener's PEM again, and an
// RSA key costs far more to parse than to hash.
type keyPairs struct {
	mu   sync.Mutex
	gen  uint64
	byID map[[sha256.Size]byte]*keyPair
}

type keyPair struct {
	cert *tls.Certificate
	used uint64
}

func newKeyPairs() *keyPairs {
	return &keyPairs{byID: map[[sha256.Size]byte]*keyPair{}}
}

// begin starts a generation: pairs not got before the next sweep are
// dropped from memory.
func (k *keyPairs) begin() {
	k.mu.Lock()
	k.gen++
	k.mu.Unlock()
}

// get returns c parsed, with its Leaf.
func (k *keyPairs) get(c *Certificate) (*keyPair, error) {
	h := sha256.New()
	h.Write(c.Chain)
	h.Write([]byte{0})
	h.Write(c.Key)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])

	k.mu.Lock()
	defer k.mu.Unlock()
	if p, ok := k.byID[sum]; ok {
		p.used = k.gen
		return p, nil
	}
	cert, err := tls.X509KeyPair(c.Chain, c.Key)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", c.ID, err)
	}
	p := &keyPair{cert: &cert, used: k.gen}
	k.byID[sum] = p
	return p, nil
}

// keep marks pairs got earlier as used in the current generation, without
// reading their PEM again.
func (k *keyPairs) keep(pairs []*keyPair) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range pairs {
		p.used = k.gen
	}
}

// sweep forgets the pairs the current generation did not get.
func (k *keyPairs) sweep() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for id, p := range k.byID {
		if p.used != k.gen {
			delete(k.byID, id)
		}
	}
}
