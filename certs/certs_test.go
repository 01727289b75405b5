package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"slbcert"
)

var eccRules = Rules{RSABits: []int{1024, 2048, 4096}, ECC: true}

// serverCase is one ParseServer call and what it must answer.
type serverCase struct {
	name      string
	cert, key string
	rules     *Rules    // nil: DefaultRules()
	now       time.Time // zero: testNow

	// On failure: the code, a fragment of the message (optional) and the
	// parameter the message must name ("" for the key-mismatch message, which
	// is checked exactly).
	code, msg, param string

	// On success: the expected chain and key, and the reported key fields.
	want    []*x509.Certificate
	wantKey crypto.Signer
	algo    string
	bits    int
}

func serverCases(t *testing.T) []serverCase {
	rsa := leaf("rsa2048")
	p256 := leaf("p256")
	other := leaf("rsa2048-b")
	ecRules := &eccRules
	withRSA := func(bits ...int) *Rules { return &Rules{RSABits: bits} }
	strict := &Rules{RSABits: DefaultRules().RSABits, RejectExpired: true}
	tf, sha1CA := terraformShape(), sha1Shape()

	// Edge-of-validity leaf.
	expired := issue(leafTemplate(), rsa.h.inter, rsa.key.Public(), nil)

	// A chain whose intermediate lacks the CA flag and certSign usage.
	plainInterKey := key("rsa2048-inter")
	plainInterTmpl := caTemplate("Plain Intermediate")
	plainInterTmpl.IsCA, plainInterTmpl.BasicConstraintsValid, plainInterTmpl.KeyUsage = false, false, x509.KeyUsageDigitalSignature
	plainInter := &issuer{issue(plainInterTmpl, rsa.h.root, plainInterKey.Public(), nil), plainInterKey}
	underPlain := issue(leafTemplate(), plainInter, rsa.key.Public(), nil)

	// A leaf with a CN and no SANs.
	noSANTmpl := leafTemplate()
	noSANTmpl.DNSNames = nil
	noSAN := issue(noSANTmpl, rsa.h.inter, rsa.key.Public(), nil)

	// A self-signed leaf.
	selfTmpl := leafTemplate()
	self := issue(selfTmpl, nil, rsa.key.Public(), rsa.key)

	// openssl-made fixtures (testdata/generate.sh).
	dsaCert, dsaKey := readTestdata(t, "dsa.crt"), readTestdata(t, "dsa.key")
	ecparamCert, ecparamKey := readTestdata(t, "ecparam.crt"), readTestdata(t, "ecparam.key")
	ecparamBlock, _ := pem.Decode([]byte(ecparamCert))
	ecparamLeaf, err := x509.ParseCertificate(ecparamBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	opensslLegacy, opensslPKCS8 := readTestdata(t, "rsa-legacy-encrypted.key"), readTestdata(t, "rsa-pkcs8-encrypted.key")

	chain := certsPEM(rsa.chain()...)
	keyPEM := pkcs1(rsa.key)
	exactly := func(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }
	// Corrupts the base64 of the first block of s.
	breakFirst := func(s string) string {
		i := strings.Index(s, "\n") + 1
		return s[:i] + "!!!!" + s[i+4:]
	}
	truncated := chain[:len(chain)-len("-----END CERTIFICATE-----\n")]
	encryptedBlock := "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + base64.StdEncoding.EncodeToString([]byte("not really, detection is by type")) + "\n-----END ENCRYPTED PRIVATE KEY-----\n"
	procTypeOnly := "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n" + strings.Join(strings.Split(keyPEM, "\n")[1:], "\n")
	commentHeader := "-----BEGIN RSA PRIVATE KEY-----\nComment: mine\n\n" + strings.Join(strings.Split(keyPEM, "\n")[1:], "\n")
	certHeader := "-----BEGIN CERTIFICATE-----\nComment: mine\n\n" + strings.Join(strings.Split(certsPEM(rsa.leaf), "\n")[1:], "\n")
	pkcs8AsPKCS1 := strings.ReplaceAll(pkcs8(rsa.key), "PRIVATE KEY", "RSA PRIVATE KEY")
	der := string(rsa.leaf.Raw)
	md5Leaf := md5Signed(rsa.leaf, rsa.h.inter)

	return []serverCase{
		// Success.
		{name: "ok/rsa 2048 chain", cert: chain, key: keyPEM, want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/rsa 2048 chain with root", cert: certsPEM(rsa.full()...), key: keyPEM, want: rsa.full(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/rsa 2048 leaf alone", cert: certsPEM(rsa.leaf), key: keyPEM, want: []*x509.Certificate{rsa.leaf}, wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/rsa 2048 pkcs8 key", cert: chain, key: pkcs8(rsa.key), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/rsa 1024", cert: certsPEM(leaf("rsa1024").chain()...), key: pkcs1(leaf("rsa1024").key), want: leaf("rsa1024").chain(), wantKey: leaf("rsa1024").key, algo: "RSA", bits: 1024},
		{name: "ok/rsa 4096", cert: certsPEM(leaf("rsa4096").chain()...), key: pkcs1(leaf("rsa4096").key), want: leaf("rsa4096").chain(), wantKey: leaf("rsa4096").key, algo: "RSA", bits: 4096},
		{name: "ok/rsa 3072 where allowed", cert: certsPEM(leaf("rsa3072").chain()...), key: pkcs8(leaf("rsa3072").key), rules: withRSA(2048, 3072), want: leaf("rsa3072").chain(), wantKey: leaf("rsa3072").key, algo: "RSA", bits: 3072},
		{name: "ok/p256 sec1 key", cert: certsPEM(p256.chain()...), key: sec1(p256.key), rules: ecRules, want: p256.chain(), wantKey: p256.key, algo: "ECC", bits: 256},
		{name: "ok/p256 pkcs8 key", cert: certsPEM(p256.chain()...), key: pkcs8(p256.key), rules: ecRules, want: p256.chain(), wantKey: p256.key, algo: "ECC", bits: 256},
		{name: "ok/p256 key after EC PARAMETERS", cert: certsPEM(p256.chain()...), key: ecParams(elliptic.P256()) + sec1(p256.key), rules: ecRules, want: p256.chain(), wantKey: p256.key, algo: "ECC", bits: 256},
		{name: "ok/p384 chain with root", cert: certsPEM(leaf("p384").full()...), key: sec1(leaf("p384").key), rules: ecRules, want: leaf("p384").full(), wantKey: leaf("p384").key, algo: "ECC", bits: 384},
		{name: "ok/p521", cert: certsPEM(leaf("p521").chain()...), key: pkcs8(leaf("p521").key), rules: ecRules, want: leaf("p521").chain(), wantKey: leaf("p521").key, algo: "ECC", bits: 521},
		{name: "ok/openssl ecparam key", cert: ecparamCert, key: ecparamKey, rules: ecRules, want: []*x509.Certificate{ecparamLeaf}, algo: "ECC", bits: 256},
		{name: "ok/crlf line endings", cert: crlf(chain), key: crlf(keyPEM), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/surrounding whitespace", cert: "\n\n \t" + chain + "\n\t \n", key: "  \n" + keyPEM + "\n\n", want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/crlf and whitespace together", cert: crlf("\n " + chain + " \n"), key: crlf("\t" + keyPEM + "\n"), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/no trailing newline", cert: strings.TrimSuffix(chain, "\n"), key: strings.TrimSuffix(keyPEM, "\n"), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/leading and trailing blank lines", cert: "\n\n" + chain + "\n\n\n", key: keyPEM, want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/blank lines in the key", cert: certsPEM(p256.chain()...), key: ecParams(elliptic.P256()) + "\n" + sec1(p256.key), rules: ecRules, want: p256.chain(), wantKey: p256.key, algo: "ECC", bits: 256},
		{name: "ok/exactly 64 KiB", cert: exactly(chain, MaxPEMSize), key: exactly(keyPEM, MaxPEMSize), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/leaf without SANs", cert: certsPEM(noSAN, rsa.h.inter.cert), key: keyPEM, want: []*x509.Certificate{noSAN, rsa.h.inter.cert}, wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/intermediate without CA flag", cert: certsPEM(underPlain, plainInter.cert, rsa.h.root.cert), key: keyPEM, want: []*x509.Certificate{underPlain, plainInter.cert, rsa.h.root.cert}, wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/self-signed leaf", cert: certsPEM(self), key: keyPEM, want: []*x509.Certificate{self}, wantKey: rsa.key, algo: "RSA", bits: 2048},
		// Go will not sign with RSA under 1024 bits, but parses such keys: a
		// region that allows 512 gets its pair.
		{name: "ok/rsa 512 where allowed", cert: certsPEM(leaf("rsa512").chain()...), key: pkcs1(leaf("rsa512").key), rules: withRSA(512), want: leaf("rsa512").chain(), wantKey: leaf("rsa512").key, algo: "RSA", bits: 512},
		{name: "ok/byte order mark", cert: "\ufeff" + chain, key: "\ufeff" + keyPEM, want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/valid through its last second", cert: chain, key: keyPEM, rules: strict, now: leafNotAfter, want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/expired leaf by default", cert: chain, key: keyPEM, now: leafNotAfter.Add(time.Second), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		{name: "ok/expired leaf years ago by default", cert: chain, key: keyPEM, now: leafNotAfter.AddDate(20, 0, 0), want: rsa.chain(), wantKey: rsa.key, algo: "RSA", bits: 2048},
		// The shapes Alibaba's Terraform examples upload to the real service.
		{name: "ok/expired self-signed CA:TRUE rsa 1024 without CN or SAN", cert: strings.TrimSuffix(certsPEM(tf.leaf), "\n"), key: strings.TrimSuffix(pkcs1(tf.key), "\n"), want: []*x509.Certificate{tf.leaf}, wantKey: tf.key, algo: "RSA", bits: 1024},
		{name: "ok/expired self-signed sha1 rsa 1024 CA", cert: certsPEM(sha1CA.leaf), key: pkcs1(sha1CA.key), want: []*x509.Certificate{sha1CA.leaf}, wantKey: sha1CA.key, algo: "RSA", bits: 1024},

		// 1. Size, for both inputs before anything else.
		{name: "error/certificate over 64 KiB", cert: exactly(chain, MaxPEMSize+1), key: keyPEM, code: slbcert.EInvalidParameter, param: "ServerCertificate", msg: "too large"},
		{name: "error/key over 64 KiB", cert: chain, key: exactly(keyPEM, MaxPEMSize+1), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "too large"},
		{name: "error/key over 64 KiB beats a garbage certificate", cert: "garbage", key: strings.Repeat("k", MaxPEMSize+1), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "too large"},

		// 2. Certificate format.
		{name: "error/empty certificate", cert: "", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "no -----BEGIN CERTIFICATE----- block"},
		{name: "error/blank certificate", cert: " \r\n\t\n", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/garbage certificate", cert: "this is not a certificate at all", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/der certificate", cert: der, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/base64 without armour", cert: base64.StdEncoding.EncodeToString(rsa.leaf.Raw), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/private key as certificate", cert: keyPEM, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: `type "RSA PRIVATE KEY" (block 1)`},
		{name: "error/private key after the chain", cert: chain + keyPEM, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "(block 3)"},
		{name: "error/EC PARAMETERS in the chain", cert: ecParams(elliptic.P256()) + certsPEM(p256.chain()...), key: sec1(p256.key), rules: ecRules, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/text before the first block", cert: "Bag Attributes\n    friendlyName: www\n" + chain, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "before the first block"},
		{name: "error/text between blocks", cert: certsPEM(rsa.leaf) + "subject=CN = Intermediate\n" + certsPEM(rsa.h.inter.cert), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "after block 1"},
		{name: "error/text after the last block", cert: chain + "trailing words", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "after block 2"},
		{name: "error/text on the END line", cert: strings.TrimSuffix(chain, "\n") + " x\n", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/missing END line", cert: truncated, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "block 2"},
		{name: "error/bad base64 in the last block", cert: certsPEM(rsa.leaf) + breakFirst(certsPEM(rsa.h.inter.cert)), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "block 2"},
		{name: "error/bad base64 before a good block", cert: breakFirst(certsPEM(rsa.leaf)) + certsPEM(rsa.h.inter.cert), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "block 1"},
		{name: "error/blank line between blocks", cert: certsPEM(rsa.leaf) + "\n\n" + certsPEM(rsa.h.inter.cert), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "between certificate 1 and certificate 2"},
		{name: "error/blank line between blocks beats a wrong key", cert: certsPEM(rsa.leaf) + "\n" + certsPEM(rsa.h.inter.cert), key: pkcs1(other.key), code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "empty line"},
		{name: "error/certificate block with headers", cert: certHeader, key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "headers"},
		{name: "error/certificate block of garbage der", cert: pemString("CERTIFICATE", []byte("garbage")), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "not a valid X.509 certificate"},
		{name: "error/empty certificate block", cert: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate"},
		{name: "error/second block not x509", cert: certsPEM(rsa.leaf) + pemString("CERTIFICATE", rsa.leaf.RawTBSCertificate), key: keyPEM, code: ECertificateFormatInvalid, param: "ServerCertificate", msg: "block 2"},

		// 3. Expiry and order.
		{name: "error/expired leaf where refused", cert: chain, key: keyPEM, rules: strict, now: leafNotAfter.Add(time.Second), code: EIllegalServerCertificate, param: "ServerCertificate", msg: "has expired: the certificate was valid until " + leafNotAfter.Format(time.RFC3339) + ", and this region does not accept expired certificates."},
		{name: "error/expired leaf beats a wrong key where refused", cert: certsPEM(expired), key: pkcs1(other.key), rules: strict, now: leafNotAfter.Add(time.Hour), code: EIllegalServerCertificate, param: "ServerCertificate", msg: "expired"},
		{name: "error/expired leaf beats a broken chain where refused", cert: certsPEM(rsa.leaf, ecCA().inter.cert), key: keyPEM, rules: strict, now: leafNotAfter.Add(time.Hour), code: EIllegalServerCertificate, param: "ServerCertificate", msg: "expired"},
		{name: "error/expired terraform shape where refused", cert: certsPEM(tf.leaf), key: pkcs1(tf.key), rules: strict, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "valid until 2020-11-19T06:19:51Z"},
		{name: "error/expired sha1 CA where refused", cert: certsPEM(sha1CA.leaf), key: pkcs1(sha1CA.key), rules: strict, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "valid until 2024-11-21T06:04:25Z"},
		{name: "error/chain out of order", cert: certsPEM(rsa.h.inter.cert, rsa.leaf), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "certificate 2 does not sign certificate 1"},
		{name: "error/root before intermediate", cert: certsPEM(rsa.leaf, rsa.h.root.cert, rsa.h.inter.cert), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "certificate 2 does not sign certificate 1"},
		{name: "error/root missing its intermediate is fine but a stray root is not", cert: certsPEM(rsa.leaf, rsa.h.inter.cert, ecCA().root.cert), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "certificate 3 does not sign certificate 2"},
		{name: "error/intermediate of another CA", cert: certsPEM(rsa.leaf, ecCA().inter.cert), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate"},
		{name: "error/leaf repeated", cert: certsPEM(rsa.leaf, rsa.leaf), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate"},
		{name: "error/md5 signature", cert: certsPEM(md5Leaf, rsa.h.inter.cert), key: keyPEM, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "insecure"},

		// 4. Key type.
		{name: "error/ed25519 leaf", cert: certsPEM(leaf("ed25519").chain()...), key: pkcs8(leaf("ed25519").key), rules: ecRules, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "Ed25519"},
		{name: "error/dsa leaf", cert: dsaCert, key: dsaKey, code: EIllegalServerCertificate, param: "ServerCertificate", msg: "DSA"},

		// 5. RSA sizes, judged before the key is read.
		{name: "error/rsa 512", cert: certsPEM(leaf("rsa512").chain()...), key: pkcs1(leaf("rsa512").key), code: EIllegalKeyLength, param: "ServerCertificate", msg: "512-bit RSA key; this region accepts RSA keys of 1024, 2048 or 4096 bits"},
		{name: "error/rsa 512 with a garbage key", cert: certsPEM(leaf("rsa512").chain()...), key: "garbage", code: EIllegalKeyLength, param: "ServerCertificate"},
		{name: "error/rsa 3072 by default", cert: certsPEM(leaf("rsa3072").chain()...), key: pkcs1(leaf("rsa3072").key), code: EIllegalKeyLength, param: "ServerCertificate", msg: "3072"},
		{name: "error/rsa 2048 where only 4096 is allowed", cert: chain, key: keyPEM, rules: withRSA(4096), code: EIllegalKeyLength, param: "ServerCertificate", msg: "RSA keys of 4096 bits only"},
		{name: "error/rsa under zero rules", cert: chain, key: keyPEM, rules: &Rules{}, code: EIllegalKeyLength, param: "ServerCertificate", msg: "no RSA keys"},
		{name: "error/rsa 4096 with an encrypted key where only 2048 is allowed", cert: certsPEM(leaf("rsa4096").chain()...), key: legacyEncrypted(leaf("rsa4096").key), rules: withRSA(2048), code: EIllegalKeyLength, param: "ServerCertificate"},

		// 6. ECC.
		{name: "error/p256 without ECC", cert: certsPEM(p256.chain()...), key: sec1(p256.key), code: EEccNotSupported, param: "ServerCertificate"},
		{name: "error/p521 without ECC", cert: certsPEM(leaf("p521").chain()...), key: sec1(leaf("p521").key), code: EEccNotSupported, param: "ServerCertificate"},
		{name: "error/p224 with ECC", cert: certsPEM(leaf("p224").chain()...), key: sec1(leaf("p224").key), rules: ecRules, code: EEccNotSupported, param: "ServerCertificate", msg: "P-224"},
		{name: "error/p256 without ECC beats an encrypted key", cert: certsPEM(p256.chain()...), key: encryptedBlock, code: EEccNotSupported, param: "ServerCertificate"},

		// 7. Encrypted keys.
		{name: "error/legacy encrypted key", cert: chain, key: legacyEncrypted(rsa.key), code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/openssl legacy encrypted key", cert: chain, key: opensslLegacy, code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/openssl pkcs8 encrypted key", cert: chain, key: opensslPKCS8, code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/ENCRYPTED PRIVATE KEY block", cert: chain, key: encryptedBlock, code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/Proc-Type header alone", cert: chain, key: procTypeOnly, code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/encrypted key after junk", cert: chain, key: "my key:\n" + opensslPKCS8 + "the end", code: EPrivateKeyEncrypted, param: "PrivateKey"},
		{name: "error/encrypted key after a plain one", cert: chain, key: keyPEM + opensslLegacy, code: EPrivateKeyEncrypted, param: "PrivateKey"},

		// 8. Key format.
		{name: "error/empty key", cert: chain, key: "", code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "no PEM block"},
		{name: "error/blank key", cert: chain, key: "\r\n \n", code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "no PEM block"},
		{name: "error/garbage key", cert: chain, key: "hunter2", code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "format is invalid"},
		{name: "error/certificate as key", cert: chain, key: certsPEM(rsa.leaf), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: `"CERTIFICATE"`},
		{name: "error/two keys", cert: chain, key: keyPEM + pkcs1(other.key), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "more than one"},
		{name: "error/same key twice", cert: chain, key: keyPEM + keyPEM, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "more than one"},
		{name: "error/text before the key", cert: chain, key: "key:\n" + keyPEM, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "before the first block"},
		{name: "error/text after the key", cert: chain, key: keyPEM + "--", code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "after block 1"},
		{name: "error/key missing END line", cert: chain, key: keyPEM[:len(keyPEM)-10], code: slbcert.EInvalidParameter, param: "PrivateKey"},
		{name: "error/key with bad base64", cert: chain, key: breakFirst(keyPEM), code: slbcert.EInvalidParameter, param: "PrivateKey"},
		{name: "error/key block with a comment header", cert: chain, key: commentHeader, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "headers"},
		{name: "error/pkcs8 under an RSA PRIVATE KEY header", cert: chain, key: pkcs8AsPKCS1, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "PKCS#1"},
		{name: "error/garbage RSA PRIVATE KEY", cert: chain, key: pemString("RSA PRIVATE KEY", []byte("garbage")), code: slbcert.EInvalidParameter, param: "PrivateKey"},
		{name: "error/garbage EC PRIVATE KEY", cert: certsPEM(p256.chain()...), key: pemString("EC PRIVATE KEY", []byte("garbage")), rules: ecRules, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "SEC 1"},
		{name: "error/garbage PRIVATE KEY", cert: chain, key: pemString("PRIVATE KEY", []byte("garbage")), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "PKCS#8"},
		{name: "error/ed25519 key", cert: chain, key: pkcs8(key("ed25519")), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "Ed25519"},
		{name: "error/x25519 key", cert: chain, key: pkcs8(x25519Key()), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "X25519"},
		{name: "error/dsa key", cert: chain, key: dsaKey, code: slbcert.EInvalidParameter, param: "PrivateKey"},
		{name: "error/openssh key", cert: chain, key: pemString("OPENSSH PRIVATE KEY", []byte("openssh-key-v1")), code: slbcert.EInvalidParameter, param: "PrivateKey", msg: `"OPENSSH PRIVATE KEY"`},
		{name: "error/EC PARAMETERS of another curve", cert: certsPEM(p256.chain()...), key: ecParams(elliptic.P384()) + sec1(p256.key), rules: ecRules, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "EC PARAMETERS"},
		{name: "error/EC PARAMETERS of garbage", cert: certsPEM(p256.chain()...), key: pemString("EC PARAMETERS", []byte{0x30, 0}) + sec1(p256.key), rules: ecRules, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "EC PARAMETERS"},
		{name: "error/EC PARAMETERS before an RSA key", cert: chain, key: ecParams(elliptic.P256()) + keyPEM, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "EC PARAMETERS"},
		{name: "error/EC PARAMETERS alone", cert: certsPEM(p256.chain()...), key: ecParams(elliptic.P256()), rules: ecRules, code: slbcert.EInvalidParameter, param: "PrivateKey"},
		{name: "error/EC PARAMETERS after the key", cert: certsPEM(p256.chain()...), key: sec1(p256.key) + ecParams(elliptic.P256()), rules: ecRules, code: slbcert.EInvalidParameter, param: "PrivateKey", msg: "more than one"},

		// 9. Mismatch.
		{name: "error/key mismatch", cert: chain, key: pkcs1(other.key), code: slbcert.EInvalidParameter},
		{name: "error/key mismatch pkcs8", cert: chain, key: pkcs8(other.key), code: slbcert.EInvalidParameter},
		{name: "error/intermediate's key", cert: chain, key: pkcs1(rsa.h.inter.key), code: slbcert.EInvalidParameter},
		{name: "error/ec key for an rsa leaf", cert: chain, key: sec1(p256.key), code: slbcert.EInvalidParameter},
		{name: "error/rsa key for an ec leaf", cert: certsPEM(p256.chain()...), key: keyPEM, rules: ecRules, code: slbcert.EInvalidParameter},
		{name: "error/p256 key of another pair", cert: certsPEM(p256.chain()...), key: sec1(key("p256-b")), rules: ecRules, code: slbcert.EInvalidParameter},
		{name: "error/p384 key for a p256 leaf", cert: certsPEM(p256.chain()...), key: sec1(leaf("p384").key), rules: ecRules, code: slbcert.EInvalidParameter},
	}
}

func TestParseServer(t *testing.T) {
	for _, tc := range serverCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			rules := DefaultRules()
			if tc.rules != nil {
				rules = *tc.rules
			}
			now := tc.now
			if now.IsZero() {
				now = testNow
			}
			got, err := ParseServer(tc.cert, tc.key, rules, now)
			if tc.code != "" {
				if got != nil {
					t.Errorf("got a pair along with the error")
				}
				checkError(t, err, tc.code, tc.msg, tc.param, tc.cert, tc.key)
				if tc.param == "" && err.Error() != tc.code+": "+MsgKeyMismatch {
					t.Errorf("message = %q, want exactly %q", err.(*slbcert.Error).Message, MsgKeyMismatch)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseServer: %v", err)
			}
			checkChain(t, got.Chain, tc.want, tc.algo, tc.bits)
			if tc.wantKey != nil && MatchKey(tc.want[0], tc.wantKey) != nil {
				t.Fatal("test case key does not match its certificate")
			}
			if err := MatchKey(got.Chain.Leaf(), got.Key); err != nil {
				t.Errorf("returned key does not match the leaf: %v", err)
			}
			wantKeyPEM := strings.TrimSpace(strings.TrimPrefix(strings.ReplaceAll(tc.key, "\r\n", "\n"), "\ufeff")) + "\n"
			if got.KeyPEM != wantKeyPEM {
				t.Errorf("KeyPEM = %q, want %q", got.KeyPEM, wantKeyPEM)
			}
			again, err := ParsePrivateKey(got.KeyPEM)
			if err != nil {
				t.Fatalf("KeyPEM does not parse again: %v", err)
			}
			if !again.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(got.Key.Public()) {
				t.Error("KeyPEM parses to another key")
			}
		})
	}
}

// checkError checks that err is an *slbcert.Error with code, whose message
// holds fragment msg and names param, and quotes none of the inputs.
func checkError(t *testing.T, err error, code, msg, param string, inputs ...string) {
	t.Helper()
	var e *slbcert.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %#v, want *slbcert.Error", err)
	}
	if e.Code != code {
		t.Errorf("code = %q (%s), want %q", e.Code, e.Message, code)
	}
	if e.Message == "" {
		t.Error("empty message")
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("message = %q, want it to contain %q", e.Message, msg)
	}
	if param != "" && !strings.Contains(e.Message, "The specified parameter "+param+" ") {
		t.Errorf("message = %q, want it to name parameter %s", e.Message, param)
	}
	for _, in := range inputs {
		for _, line := range strings.Split(in, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(e.Message, line) {
				t.Errorf("message %q quotes the input line %q", e.Message, line)
			}
		}
	}
}

// checkChain compares a parsed chain with the certificates it should hold,
// computing the reported fields independently.
func checkChain(t *testing.T, got *Chain, want []*x509.Certificate, algo string, bits int) {
	t.Helper()
	if len(got.Certs) != len(want) {
		t.Fatalf("%d certificates, want %d", len(got.Certs), len(want))
	}
	for i := range want {
		if string(got.Certs[i].Raw) != string(want[i].Raw) {
			t.Errorf("certificate %d differs", i)
		}
	}
	leaf := want[0]
	sum := sha1.Sum(leaf.Raw)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02x", b)
	}
	if fp := strings.Join(hexes, ":"); got.Fingerprint != fp {
		t.Errorf("Fingerprint = %q, want %q", got.Fingerprint, fp)
	}
	if got.CommonName != leaf.Subject.CommonName {
		t.Errorf("CommonName = %q, want %q", got.CommonName, leaf.Subject.CommonName)
	}
	wantNames := leaf.DNSNames
	if wantNames == nil {
		wantNames = []string{}
	}
	if got.DNSNames == nil || !reflect.DeepEqual(got.DNSNames, wantNames) {
		t.Errorf("DNSNames = %#v, want %#v", got.DNSNames, wantNames)
	}
	if got.Algorithm != algo || got.KeyBits != bits {
		t.Errorf("key = %s %d, want %s %d", got.Algorithm, got.KeyBits, algo, bits)
	}
	if !got.NotAfter.Equal(leaf.NotAfter) {
		t.Errorf("NotAfter = %v, want %v", got.NotAfter, leaf.NotAfter)
	}
	if got.PEM != certsPEM(want...) {
		t.Errorf("PEM is not the normalised chain:\n%s", got.PEM)
	}
	if strings.Contains(got.PEM, "\r") || !strings.HasSuffix(got.PEM, "-----\n") {
		t.Errorf("PEM not normalised: %q", got.PEM)
	}
	again, err := ParseChain("ServerCertificate", got.PEM)
	if err != nil {
		t.Fatalf("normalised PEM does not parse again: %v", err)
	}
	if again.PEM != got.PEM || again.Fingerprint != got.Fingerprint {
		t.Error("normalised PEM does not round-trip")
	}
}

func TestParseServerSANOrder(t *testing.T) {
	f := leaf("rsa2048")
	got, err := ParseServer(certsPEM(f.chain()...), pkcs1(f.key), DefaultRules(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Chain.DNSNames, testSANs) || got.Chain.CommonName != "www.example.com" {
		t.Errorf("CN %q, SANs %q; want www.example.com, %q", got.Chain.CommonName, got.Chain.DNSNames, testSANs)
	}
	if !got.Chain.NotAfter.Equal(leafNotAfter) {
		t.Errorf("NotAfter = %v, want %v", got.Chain.NotAfter, leafNotAfter)
	}
	// The returned names are the chain's own: changing them leaves the certificate alone.
	got.Chain.DNSNames[0] = "changed"
	if got.Chain.Leaf().DNSNames[0] != testSANs[0] {
		t.Error("DNSNames aliases the certificate's slice")
	}
}

func TestParseCA(t *testing.T) {
	rsa := leaf("rsa2048")
	root := rsa.h.root.cert
	expiredTmpl := caTemplate("Expired CA")
	expiredTmpl.NotAfter = testNow.Add(-time.Second)
	expiredKey := key("p256-ca")
	expired := issue(expiredTmpl, nil, expiredKey.Public(), expiredKey)
	ed := key("ed25519")
	edCA := issue(caTemplate("Ed25519 CA"), nil, ed.Public(), ed)
	p224 := key("p224-ca")
	p224CA := issue(caTemplate("P-224 CA"), nil, p224.Public(), p224)
	rootPEM := certsPEM(root)
	tf, sha1CA := terraformShape(), sha1Shape()
	strict := Rules{RejectExpired: true}

	cases := []struct {
		name      string
		cert      string
		rules     Rules
		code, msg string
		want      []*x509.Certificate
		algo      string
		bits      int
	}{
		{name: "ok/root", cert: rootPEM, want: []*x509.Certificate{root}, algo: "RSA", bits: 2048},
		{name: "ok/intermediate", cert: certsPEM(ecCA().inter.cert), want: []*x509.Certificate{ecCA().inter.cert}, algo: "ECC", bits: 384},
		{name: "ok/certificate without the CA flag", cert: certsPEM(rsa.leaf), want: []*x509.Certificate{rsa.leaf}, algo: "RSA", bits: 2048},
		{name: "ok/bundle of unrelated roots", cert: rootPEM + certsPEM(ecCA().root.cert), want: []*x509.Certificate{root, ecCA().root.cert}, algo: "RSA", bits: 2048},
		{name: "ok/crlf and whitespace", cert: crlf("\n\n" + rootPEM + "\n  "), want: []*x509.Certificate{root}, algo: "RSA", bits: 2048},
		{name: "ok/ed25519 CA", cert: certsPEM(edCA), want: []*x509.Certificate{edCA}, algo: "", bits: 0},
		{name: "ok/p224 CA", cert: certsPEM(p224CA), want: []*x509.Certificate{p224CA}, algo: "ECC", bits: 224},
		{name: "ok/expired second certificate", cert: rootPEM + certsPEM(expired), want: []*x509.Certificate{root, expired}, algo: "RSA", bits: 2048},
		{name: "ok/expired second certificate where refused", cert: rootPEM + certsPEM(expired), rules: strict, want: []*x509.Certificate{root, expired}, algo: "RSA", bits: 2048},
		{name: "ok/expired by default", cert: certsPEM(expired), want: []*x509.Certificate{expired}, algo: "ECC", bits: 256},
		{name: "ok/expired first certificate by default", cert: certsPEM(expired) + rootPEM, want: []*x509.Certificate{expired, root}, algo: "ECC", bits: 256},
		{name: "ok/expired self-signed rsa 1024 without CN", cert: strings.TrimSuffix(certsPEM(tf.leaf), "\n"), want: []*x509.Certificate{tf.leaf}, algo: "RSA", bits: 1024},
		{name: "ok/expired sha1 rsa 1024 CA", cert: certsPEM(sha1CA.leaf), want: []*x509.Certificate{sha1CA.leaf}, algo: "RSA", bits: 1024},
		{name: "ok/valid CA where expired ones are refused", cert: rootPEM, rules: strict, want: []*x509.Certificate{root}, algo: "RSA", bits: 2048},
		{name: "error/over 64 KiB", cert: rootPEM + strings.Repeat("\n", MaxPEMSize), code: slbcert.EInvalidParameter, msg: "too large"},
		{name: "error/empty", cert: "", code: ECertificateFormatInvalid},
		{name: "error/garbage", cert: "not a CA", code: ECertificateFormatInvalid},
		{name: "error/private key", cert: pkcs1(rsa.key), code: ECertificateFormatInvalid},
		{name: "error/private key after the certificate", cert: rootPEM + pkcs8(rsa.key), code: ECertificateFormatInvalid},
		{name: "error/text after the certificate", cert: rootPEM + "# end", code: ECertificateFormatInvalid},
		{name: "error/not x509", cert: pemString("CERTIFICATE", []byte{0x30, 0x03, 0x02, 0x01, 0x01}), code: ECertificateFormatInvalid},
		{name: "error/expired where refused", cert: certsPEM(expired), rules: strict, code: EIllegalCACertificate, msg: "has expired: the certificate was valid until " + expiredTmpl.NotAfter.UTC().Format(time.RFC3339) + ", and this region does not accept expired certificates."},
		{name: "error/expired first certificate where refused", cert: certsPEM(expired) + rootPEM, rules: strict, code: EIllegalCACertificate, msg: "expired"},
		{name: "error/expired sha1 CA where refused", cert: certsPEM(sha1CA.leaf), rules: strict, code: EIllegalCACertificate, msg: "valid until 2024-11-21T06:04:25Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCA(tc.cert, tc.rules, testNow)
			if tc.code != "" {
				checkError(t, err, tc.code, tc.msg, "CACertificate", tc.cert)
				return
			}
			if err != nil {
				t.Fatalf("ParseCA: %v", err)
			}
			checkChain(t, got, tc.want, tc.algo, tc.bits)
		})
	}
}

func TestParsePrivateKey(t *testing.T) {
	rsa := key("rsa2048")
	k, err := ParsePrivateKey(pkcs1(rsa))
	if err != nil || !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(rsa.Public()) {
		t.Fatalf("ParsePrivateKey = %v, %v", k, err)
	}
	p := key("p384")
	k, err = ParsePrivateKey(ecParams(elliptic.P384()) + sec1(p))
	if err != nil || !k.(*ecdsa.PrivateKey).Equal(p) {
		t.Fatalf("ParsePrivateKey(EC PARAMETERS + EC key) = %v, %v", k, err)
	}
	_, err = ParsePrivateKey(strings.Repeat(" ", MaxPEMSize+1))
	checkError(t, err, slbcert.EInvalidParameter, "too large", "PrivateKey")
}

func TestCheckRules(t *testing.T) {
	for _, tc := range []struct {
		keyName string
		rules   Rules
		code    string
	}{
		{"rsa1024", DefaultRules(), ""},
		{"rsa1024", Rules{RSABits: []int{2048}}, EIllegalKeyLength},
		{"rsa512", Rules{RSABits: []int{512}}, ""},
		{"p384", Rules{ECC: true}, ""},
		{"p384", Rules{RSABits: []int{2048}}, EEccNotSupported},
		{"p224", Rules{ECC: true}, EEccNotSupported},
		{"ed25519", Rules{RSABits: []int{2048}, ECC: true}, EIllegalServerCertificate},
	} {
		t.Run(fmt.Sprintf("%s %v", tc.keyName, tc.rules), func(t *testing.T) {
			c, err := ParseChain("ServerCertificate", certsPEM(leaf(tc.keyName).leaf))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckRules(c, tc.rules)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkError(t, err, tc.code, "", "ServerCertificate")
		})
	}
}

// A Chain built by hand still gets messages naming a parameter.
func TestCheckChainByHand(t *testing.T) {
	f := leaf("rsa2048")
	c := &Chain{Certs: []*x509.Certificate{f.h.inter.cert, f.leaf}, NotAfter: f.h.inter.cert.NotAfter}
	checkError(t, CheckChain(c, DefaultRules(), testNow), EIllegalServerCertificate, "does not sign", "ServerCertificate")
	checkError(t, CheckChain(&Chain{}, DefaultRules(), testNow), ECertificateFormatInvalid, "no certificate", "ServerCertificate")
	checkError(t, CheckChain(c, Rules{RejectExpired: true}, c.NotAfter.Add(time.Second)), EIllegalServerCertificate, "has expired", "ServerCertificate")
	checkError(t, CheckRules(&Chain{}, DefaultRules()), ECertificateFormatInvalid, "no certificate", "ServerCertificate")
}

func TestDefaultRules(t *testing.T) {
	r := DefaultRules()
	if !slices.Equal(r.RSABits, []int{1024, 2048, 4096}) || r.ECC {
		t.Errorf("DefaultRules() = %+v", r)
	}
	r.RSABits[0] = 1 // each call returns its own slice
	if DefaultRules().RSABits[0] != 1024 {
		t.Error("DefaultRules shares its slice")
	}
}

// The certificate parser sees names exactly as issued, including a CN-only
// subject with other attributes around it.
func TestCommonNameOnly(t *testing.T) {
	f := leaf("rsa2048")
	tmpl := leafTemplate()
	tmpl.Subject = pkix.Name{Country: []string{"CN"}, CommonName: "*.example1.com"}
	tmpl.DNSNames = []string{"*.example1.com", "example1.com"}
	c := issue(tmpl, f.h.inter, f.key.Public(), nil)
	got, err := ParseServer(certsPEM(c, f.h.inter.cert), pkcs8(f.key), DefaultRules(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got.Chain.CommonName != "*.example1.com" || !slices.Equal(got.Chain.DNSNames, tmpl.DNSNames) {
		t.Errorf("CN %q SANs %q", got.Chain.CommonName, got.Chain.DNSNames)
	}
}

// The expired shapes the real service accepts are what the fixtures claim,
// and are reported as issued: no CN and an empty SAN list, or CN "test";
// NotAfter in the past.
func TestExpiredShapes(t *testing.T) {
	tf, sha1CA := terraformShape(), sha1Shape()
	if c := tf.leaf; !c.IsCA || !c.BasicConstraintsValid || c.Subject.CommonName != "" || len(c.DNSNames) != 0 ||
		c.PublicKey.(*rsa.PublicKey).N.BitLen() != 1024 || !c.NotAfter.Before(testNow) {
		t.Fatalf("terraform shape: %v CA=%v SANs=%v", c.Subject, c.IsCA, c.DNSNames)
	}
	var email string
	for _, n := range sha1CA.leaf.Subject.Names {
		if n.Type.Equal(emailAddress) {
			email, _ = n.Value.(string)
		}
	}
	if c := sha1CA.leaf; c.SignatureAlgorithm != x509.SHA1WithRSA || c.Subject.CommonName != "test" || email != "test@example.com" || !c.IsCA {
		t.Fatalf("sha1 shape: %v %v email %q", c.SignatureAlgorithm, c.Subject, email)
	}
	for _, f := range []fixture{tf, sha1CA} {
		for _, rules := range []Rules{DefaultRules(), {RSABits: []int{1024}}} {
			got, err := ParseServer(strings.TrimSuffix(certsPEM(f.leaf), "\n"), pkcs1(f.key), rules, testNow)
			if err != nil {
				t.Fatalf("%v: %v", f.leaf.Subject, err)
			}
			c := got.Chain
			if c.CommonName != f.leaf.Subject.CommonName || c.DNSNames == nil || len(c.DNSNames) != 0 || !c.NotAfter.Equal(f.leaf.NotAfter) || c.Algorithm != "RSA" || c.KeyBits != 1024 {
				t.Errorf("%v: reported %+v", f.leaf.Subject, c)
			}
		}
	}
}

// insertLine inserts line (with its "\n") before line n (1-based) of text.
func insertLine(text string, n int, line string) string {
	lines := strings.SplitAfter(text, "\n")
	return strings.Join(lines[:n-1], "") + line + "\n" + strings.Join(lines[n-1:], "")
}

// lines counts the lines of PEM text that ends with a newline.
func lines(text string) int { return strings.Count(text, "\n") }

// blankLineCases are certificate texts with blank lines where the real
// service refuses them (line > 0: the 1-based line reported, where says
// between or inside which certificates, empty tells an empty line from a
// whitespace-only one), and texts with blank lines and other whitespace
// where it accepts them (line == 0). certs are the certificates, in order.
func blankLineCases(certs ...*x509.Certificate) []struct {
	name, text string
	line       int
	where      string
	empty      bool
} {
	first, second := certsPEM(certs[0]), certsPEM(certs[1:]...)
	all := first + second
	n1 := lines(first)
	between := "between certificate 1 and certificate 2"
	inside1, inside2 := "inside certificate 1", "inside certificate 2"
	type tc = struct {
		name, text string
		line       int
		where      string
		empty      bool
	}
	return []tc{
		{"error/blank line between blocks", first + "\n" + second, n1 + 1, between, true},
		{"error/blank lines between blocks", first + "\n\n\n" + second, n1 + 1, between, true},
		{"error/blank line inside a block", insertLine(all, 4, ""), 4, inside1, true},
		{"error/blank line after the BEGIN line", insertLine(all, 2, ""), 2, inside1, true},
		{"error/blank line before the END line", insertLine(all, n1, ""), n1, inside1, true},
		{"error/blank line inside the second block", insertLine(all, n1+3, ""), n1 + 3, inside2, true},
		{"error/whitespace-only line between blocks", first + " \t \n" + second, n1 + 1, between, false},
		{"error/whitespace-only line inside a block", insertLine(all, 5, "\t"), 5, inside1, false},
		{"error/crlf blank line between blocks", crlf(first + "\n" + second), n1 + 1, between, true},
		{"error/crlf blank line inside a block", crlf(insertLine(all, 3, "")), 3, inside1, true},
		{"error/crlf whitespace-only line between blocks", crlf(first + "  \n" + second), n1 + 1, between, false},
		{"error/blank line between blocks after leading blank lines", "\n \n" + first + "\n" + second, n1 + 3, between, true},
		{"error/blank line between blocks after a byte order mark", "\ufeff" + first + "\n" + second, n1 + 1, between, true},
		{"error/blank line between blocks without a trailing newline", first + "\n" + strings.TrimSuffix(second, "\n"), n1 + 1, between, true},
		{"error/blank line between blocks before trailing blank lines", first + "\n" + second + "\n\n", n1 + 1, between, true},
		{"ok/crlf throughout", crlf(all), 0, "", false},
		{"ok/no trailing newline", strings.TrimSuffix(all, "\n"), 0, "", false},
		{"ok/no trailing crlf", strings.TrimSuffix(crlf(all), "\r\n"), 0, "", false},
		{"ok/trailing blank lines", all + "\n\n \n\t\n", 0, "", false},
		{"ok/trailing crlf blank lines", crlf(all + "\n\n"), 0, "", false},
		{"ok/leading blank lines", "\n\n \n\t\n" + all, 0, "", false},
		{"ok/leading crlf blank lines", crlf("\n\n" + all), 0, "", false},
		{"ok/byte order mark", "\ufeff" + all, 0, "", false},
		{"ok/byte order mark and leading blank lines", "\ufeff\n\n" + all, 0, "", false},
		{"ok/spaces on the END line", strings.Replace(all, "-----END CERTIFICATE-----\n", "-----END CERTIFICATE-----  \n", 1), 0, "", false},
	}
}

// TestBlankLines: both certificate parameters refuse an empty or
// whitespace-only line between or inside their PEM blocks, naming its line,
// and tolerate blank lines around the blocks, CRLF, a missing final newline
// and a byte order mark.
func TestBlankLines(t *testing.T) {
	f := leaf("rsa2048")
	for _, tc := range blankLineCases(f.leaf, f.h.inter.cert) {
		t.Run(tc.name, func(t *testing.T) {
			wantMsg := ""
			if tc.line > 0 {
				what := "an empty line"
				if !tc.empty {
					what = "a whitespace-only line"
				}
				wantMsg = fmt.Sprintf(" has %s at line %d, %s; ", what, tc.line, tc.where)
				if got := strings.Split(strings.ReplaceAll(strings.TrimPrefix(tc.text, "\ufeff"), "\r", ""), "\n")[tc.line-1]; strings.TrimSpace(got) != "" {
					t.Fatalf("the test's line %d is %q, not blank", tc.line, got)
				}
			}
			pair, err := ParseServer(tc.text, pkcs1(f.key), DefaultRules(), testNow)
			ca, caErr := ParseCA(tc.text, Rules{}, testNow)
			if tc.line == 0 {
				if err != nil || caErr != nil {
					t.Fatalf("ParseServer: %v; ParseCA: %v", err, caErr)
				}
				checkChain(t, pair.Chain, f.chain(), "RSA", 2048)
				checkChain(t, ca, f.chain(), "RSA", 2048)
				return
			}
			checkError(t, err, ECertificateFormatInvalid, "The specified parameter ServerCertificate"+wantMsg, "ServerCertificate", tc.text)
			checkError(t, caErr, ECertificateFormatInvalid, "The specified parameter CACertificate"+wantMsg, "CACertificate", tc.text)
			tail := "PEM blocks must follow each other without blank lines."
			if strings.HasPrefix(tc.where, "inside") {
				tail = "a PEM block must not contain blank lines."
			}
			if msg := err.(*slbcert.Error).Message; !strings.HasSuffix(msg, tail) {
				t.Errorf("message %q does not end with %q", msg, tail)
			}
		})
	}
	// Three certificates: the pair of blocks the blank line stands between.
	full := certsPEM(f.full()...)
	n := lines(certsPEM(f.leaf, f.h.inter.cert))
	_, err := ParseServer(insertLine(full, n+1, ""), pkcs1(f.key), DefaultRules(), testNow)
	checkError(t, err, ECertificateFormatInvalid, fmt.Sprintf("has an empty line at line %d, between certificate 2 and certificate 3;", n+1), "ServerCertificate")
	// A lone certificate can only have one inside.
	_, err = ParseCA(insertLine(certsPEM(f.leaf), 3, " "), Rules{}, testNow)
	checkError(t, err, ECertificateFormatInvalid, "The specified parameter CACertificate has a whitespace-only line at line 3, inside certificate 1; a PEM block must not contain blank lines.", "CACertificate")
}
