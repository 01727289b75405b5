package main

import "math/rand/v2"

// newRand is a worker's own generator: fixed seeds make the id draws of two
// runs alike, and no lock is shared between workers.
func newRand(worker int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(worker)+1, 0x5eed))
}
