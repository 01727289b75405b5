package e2e

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slbcert/internal/testpki"
	"slbcert/keyring"
)

// MasterKeys reads the master key file of a data directory, the primary
// key first.
func MasterKeys(t *testing.T, data string) [][]byte {
	t.Helper()
	keys, err := keyring.ReadKeyFile(filepath.Join(data, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// DataKeyring opens the master key file of a data directory.
func DataKeyring(t *testing.T, data string) *keyring.Keyring {
	t.Helper()
	keys := MasterKeys(t, data)
	ring, err := keyring.New(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// SealedCase is a certificate uploaded to look for its key at rest.
type SealedCase struct {
	Name, Region string
	Srv          *testpki.Server
	KeyPEM       string // as uploaded
}

// SealedCases returns fresh keys (so no other test's upload can match) in
// every format a key is uploaded in.
func SealedCases() []SealedCase {
	var cases []SealedCase
	for _, tc := range []struct {
		name, kind, region string
		encode             func(crypto.Signer) string
	}{
		{"rsa2048 pkcs1", "rsa2048", "cn-hangzhou", func(k crypto.Signer) string { return testpki.PKCS1PEM(k.(*rsa.PrivateKey)) }},
		{"rsa2048 pkcs8", "rsa2048", "cn-hangzhou", testpki.KeyPEM},
		{"p256 sec1", "p256", "eu-west-1", func(k crypto.Signer) string { return testpki.SEC1PEM(k.(*ecdsa.PrivateKey)) }},
		{"p384 pkcs8", "p384", "eu-west-1", testpki.KeyPEM},
	} {
		srv := testpki.NewServerWithKey(testpki.NewKey(tc.kind), testpki.Leaf{CommonName: "sealed.example.com"})
		cases = append(cases, SealedCase{tc.name, tc.region, srv, tc.encode(srv.Key)})
	}
	return cases
}

// needle is a byte string that must not (or, for a control, must) be found at rest.
type needle struct {
	what string
	b    []byte
}

// pemLines returns the base64 body lines of every PEM block of text, those of
// at least 16 characters.
func pemLines(what, text string) []needle {
	var out []needle
	in := false
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "-----BEGIN "):
			in = true
		case strings.HasPrefix(line, "-----END "):
			in = false
		case in && len(line) >= 16 && !strings.Contains(line, ":"):
			out = append(out, needle{fmt.Sprintf("%s, base64 line %d", what, i), []byte(line)})
		}
	}
	return out
}

// keyNeedles is every form in which c's private key could sit in a file: the
// base64 lines uploaded (as text, and in hex as pg_dump writes a bytea), the DER of each standard encoding (as bytes, in hex
// as pg_dump writes bytea, and as base64 lines of its PEM), and the secret
// numbers themselves.
func keyNeedles(t *testing.T, c SealedCase) []needle {
	t.Helper()
	out := pemLines(c.Name+" key as uploaded", c.KeyPEM)
	for _, l := range out[:len(out):len(out)] {
		// Text in a bytea column: pg_dump writes it in hex.
		out = append(out, needle{l.what + " in hex", []byte(hex.EncodeToString(l.b))})
	}
	ders := map[string][]byte{}
	block, _ := pem.Decode([]byte(c.KeyPEM))
	ders["uploaded DER"] = block.Bytes
	pkcs8, err := x509.MarshalPKCS8PrivateKey(c.Srv.Key)
	if err != nil {
		t.Fatal(err)
	}
	ders["PKCS#8 DER"] = pkcs8
	var secrets [][]byte
	switch k := c.Srv.Key.(type) {
	case *rsa.PrivateKey:
		ders["PKCS#1 DER"] = x509.MarshalPKCS1PrivateKey(k)
		secrets = [][]byte{k.D.Bytes(), k.Primes[0].Bytes(), k.Primes[1].Bytes()}
	case *ecdsa.PrivateKey:
		sec1, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		ders["SEC1 DER"] = sec1
		d, err := k.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		secrets = [][]byte{d}
	}
	for name, der := range ders {
		out = append(out, needle{c.Name + " " + name, der})
		out = append(out, needle{c.Name + " " + name + " in hex", []byte(hex.EncodeToString(der))})
		out = append(out, needle{c.Name + " " + name + " in HEX", []byte(strings.ToUpper(hex.EncodeToString(der)))})
		out = append(out, pemLines(c.Name+" "+name+" as PEM", string(pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: der})))...)
	}
	for i, s := range secrets {
		out = append(out, needle{fmt.Sprintf("%s secret number %d", c.Name, i), s})
		out = append(out, needle{fmt.Sprintf("%s secret number %d in hex", c.Name, i), []byte(hex.EncodeToString(s))})
	}
	return out
}

// ReadTree reads every regular file under dir.
func ReadTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		files[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return files
}

// Where returns the files n occurs in.
func Where(files map[string][]byte, n []byte) []string {
	var in []string
	for name, b := range files {
		if bytes.Contains(b, n) {
			in = append(in, filepath.Base(name))
		}
	}
	return in
}

// AssertNoKeys fails t for every key needle found in files.
func AssertNoKeys(t *testing.T, when string, files map[string][]byte, cases []SealedCase) {
	t.Helper()
	for _, c := range cases {
		needles := keyNeedles(t, c)
		if len(needles) < 20 {
			t.Fatalf("%s: only %d needles", c.Name, len(needles))
		}
		var found []string
		for _, k := range needles {
			if in := Where(files, k.b); len(in) > 0 {
				found = append(found, fmt.Sprintf("%s in %v", k.what, in))
			}
		}
		if len(found) > 0 {
			t.Errorf("%s: PLAINTEXT KEY AT REST: %d of %d forms of the %s key found, such as\n\t%s",
				when, len(found), len(needles), c.Name, strings.Join(found[:min(3, len(found))], "\n\t"))
		}
	}
}

// AssertCertificatesFound is the control: the same search finds each
// certificate, which is stored in clear. In SQLite a record larger than a
// page is split over overflow pages, so a line may straddle two pages; at
// least min of each certificate's lines must be found.
func AssertCertificatesFound(t *testing.T, when string, files map[string][]byte, cases []SealedCase, min float64) {
	t.Helper()
	for _, c := range cases {
		lines := pemLines(c.Name+" certificate", testpki.ChainPEM(c.Srv.Leaf))
		found := 0
		for _, l := range lines {
			if len(Where(files, l.b)) > 0 {
				found++
			}
		}
		t.Logf("%s: control: %d of %d base64 lines of the %s certificate found", when, found, len(lines), c.Name)
		if float64(found) < min*float64(len(lines)) {
			t.Errorf("%s: control failed: only %d of %d base64 lines of the %s certificate found, so the search proves nothing", when, found, len(lines), c.Name)
		}
	}
}
