package certs

import (
	"errors"
	"testing"

	"slbcert"
)

// fuzzRules let every key path be explored: all RSA sizes Go can produce,
// and ECC.
var fuzzRules = Rules{RSABits: []int{512, 1024, 2048, 3072, 4096}, ECC: true}

// FuzzParseServer checks that no input makes ParseServer panic, that every
// failure is an *slbcert.Error with one of the codes of its contract, and
// that every success is consistent: the key matches, and the normalised
// chain and key parse again to the same thing.
func FuzzParseServer(f *testing.F) {
	rsa, p256, p384 := leaf("rsa2048"), leaf("p256"), leaf("p384")
	chain := certsPEM(rsa.chain()...)
	f.Add(chain, pkcs1(rsa.key))
	f.Add(crlf(chain), pkcs8(rsa.key))
	f.Add(certsPEM(rsa.leaf), pkcs1(rsa.key))
	f.Add(certsPEM(p256.chain()...), sec1(p256.key))
	f.Add(certsPEM(p384.full()...), pkcs8(p384.key))
	f.Add(certsPEM(leaf("rsa512").leaf), pkcs1(leaf("rsa512").key))
	f.Add(chain, legacyEncrypted(rsa.key))
	f.Add(chain, sec1(p256.key))
	f.Add(chain+"junk", "junk"+pkcs1(rsa.key))
	f.Add(certsPEM(rsa.h.inter.cert, rsa.leaf), pkcs1(rsa.key))
	f.Add(certsPEM(rsa.leaf)+"\n"+certsPEM(rsa.h.inter.cert), pkcs1(rsa.key))
	f.Add(crlf("\n"+certsPEM(rsa.leaf)+" \n"+certsPEM(rsa.h.inter.cert)+"\n\n"), pkcs1(rsa.key))
	f.Add(certsPEM(terraformShape().leaf), pkcs1(terraformShape().key))
	f.Add(certsPEM(sha1Shape().leaf), pkcs1(sha1Shape().key))
	f.Add("", "")
	f.Add("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n")
	f.Add("-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END CERTIFICATE-----", "-----BEGIN RSA PRIVATE KEY-----\nDEK-Info: x\n\n-----END RSA PRIVATE KEY-----")

	allowed := map[string]bool{
		slbcert.EInvalidParameter: true,
		ECertificateFormatInvalid: true,
		EIllegalServerCertificate: true,
		EIllegalKeyLength:         true,
		EEccNotSupported:          true,
		EPrivateKeyEncrypted:      true,
	}
	f.Fuzz(func(t *testing.T, certPEM, keyPEM string) {
		got, err := ParseServer(certPEM, keyPEM, fuzzRules, testNow)
		if err != nil {
			var e *slbcert.Error
			if !errors.As(err, &e) || !allowed[e.Code] || e.Message == "" {
				t.Fatalf("error %#v is not an *slbcert.Error with a ParseServer code and a message", err)
			}
			if got != nil {
				t.Fatal("a pair along with an error")
			}
			return
		}
		c := got.Chain
		if len(c.Certs) == 0 || len(c.Fingerprint) != 59 || c.DNSNames == nil || (c.Algorithm != "RSA" && c.Algorithm != "ECC") {
			t.Fatalf("inconsistent chain %+v", c)
		}
		if err := MatchKey(c.Leaf(), got.Key); err != nil {
			t.Fatalf("returned key does not match: %v", err)
		}
		again, err := ParseChain(paramServerCert, c.PEM)
		if err != nil || again.Fingerprint != c.Fingerprint || len(again.Certs) != len(c.Certs) {
			t.Fatalf("normalised chain does not parse again: %v", err)
		}
		if _, err := ParsePrivateKey(got.KeyPEM); err != nil {
			t.Fatalf("normalised key does not parse again: %v", err)
		}
	})
}

// FuzzParseCA is FuzzParseServer for CA uploads.
func FuzzParseCA(f *testing.F) {
	h := rsaCA()
	f.Add(certsPEM(h.root.cert))
	f.Add(crlf(certsPEM(h.root.cert, ecCA().root.cert)))
	f.Add(certsPEM(leaf("ed25519").leaf))
	f.Add(pkcs1(leaf("rsa2048").key))
	f.Add(certsPEM(sha1Shape().leaf))
	f.Add("\ufeff" + certsPEM(h.root.cert) + "\n" + certsPEM(h.inter.cert))
	f.Add("")
	f.Add("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\ntrailer")

	allowed := map[string]bool{
		slbcert.EInvalidParameter: true,
		ECertificateFormatInvalid: true,
		EIllegalCACertificate:     true,
	}
	f.Fuzz(func(t *testing.T, certPEM string) {
		got, err := ParseCA(certPEM, Rules{}, testNow)
		if err != nil {
			var e *slbcert.Error
			if !errors.As(err, &e) || !allowed[e.Code] || e.Message == "" {
				t.Fatalf("error %#v is not an *slbcert.Error with a ParseCA code and a message", err)
			}
			return
		}
		if len(got.Certs) == 0 || len(got.Fingerprint) != 59 || got.DNSNames == nil {
			t.Fatalf("inconsistent chain %+v", got)
		}
		again, err := ParseCA(got.PEM, Rules{}, testNow)
		if err != nil || again.PEM != got.PEM {
			t.Fatalf("normalised chain does not parse again: %v", err)
		}
	})
}
