package dataplane

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"net/netip"
)

// Consistent-hash schedulers of TCP and UDP listeners (docs/choices.md,
// "Data plane": schedulers).
const (
	// SchedulerSCH hashes the client's IP address: a client keeps its
	// backend while the backends stay.
	SchedulerSCH = "sch"
	// SchedulerTCH hashes the four-tuple (client and listener address and
	// port).
	SchedulerTCH = "tch"
	// SchedulerQCH hashes a QUIC packet's destination connection id (UDP
	// only); a datagram that is not QUIC falls back to the client address.
	SchedulerQCH = "qch"
)

// hashSeed is one seed for the process: a client maps to the same backend
// on every listener with the same backends.
var hashSeed = maphash.MakeSeed()

// isHash reports whether a scheduler is a consistent hash.
func isHash(scheduler string) bool {
	return scheduler == SchedulerSCH || scheduler == SchedulerTCH || scheduler == SchedulerQCH
}

// pickHash chooses the routable member with the highest weighted
// rendezvous score for key (skipping skip): removing a backend, or its
// turning abnormal, moves only the keys it had, and it gets them back
// when it returns.
func (p *pool) pickHash(key uint64, skip *backend) *backend {
	var best *backend
	bestScore := math.Inf(-1)
	for _, m := range p.members {
		if m.b == skip || !m.b.routable() {
			continue
		}
		h := mix(key ^ m.b.hash)
		// u in (0, 1); score = -w / ln(u) is weighted rendezvous hashing.
		u := (float64(h>>11) + 0.5) / (1 << 53)
		score := -float64(m.weight) / math.Log(u)
		if score > bestScore {
			best, bestScore = m.b, score
		}
	}
	return best
}

// mix is a 64-bit finalizer (SplitMix64's), spreading a combined key.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// addrKey hashes a client's address.
func addrKey(a netip.Addr) uint64 {
	b := a.Unmap().As16()
	return maphash.Bytes(hashSeed, b[:])
}

// tupleKey hashes the four-tuple of a connection or flow.
func tupleKey(client, local netip.AddrPort) uint64 {
	var buf [36]byte
	c, l := client.Addr().Unmap().As16(), local.Addr().Unmap().As16()
	copy(buf[0:16], c[:])
	copy(buf[16:32], l[:])
	binary.BigEndian.PutUint16(buf[32:], client.Port())
	binary.BigEndian.PutUint16(buf[34:], local.Port())
	return maphash.Bytes(hashSeed, buf[:])
}

// quicKey hashes the destination connection id of a QUIC packet (RFC 9000
// §17): a long header says its length; a short header's is not on the
// wire and is taken as 8 bytes, the usual length. ok is false when the
// datagram is not QUIC.
func quicKey(d []byte) (key uint64, ok bool) {
	if len(d) < 1 || d[0]&0x40 == 0 { // the fixed bit
		return 0, false
	}
	if d[0]&0x80 != 0 { // long header: flags, version(4), dcid len, dcid
		if len(d) < 6 {
			return 0, false
		}
		n := int(d[5])
		if n == 0 || n > 20 || len(d) < 6+n {
			return 0, false
		}
		return maphash.Bytes(hashSeed, d[6:6+n]), true
	}
	if len(d) < 9 {
		return 0, false
	}
	return maphash.Bytes(hashSeed, d[1:9]), true
}
