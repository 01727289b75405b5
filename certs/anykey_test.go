package certs

import (
	"crypto"
	"crypto/elliptic"
	"crypto/x509"
	"strings"
	"testing"

	"slbcert"
)

func TestParseAnyPrivateKey(t *testing.T) {
	rsaKey, ecKey := key("rsa2048"), key("p256")
	relabel := func(s, to string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		lines[0], lines[len(lines)-1] = "-----BEGIN "+to+"-----", "-----END "+to+"-----"
		return strings.Join(lines, "\n") + "\n"
	}
	ed := pkcs8(key("ed25519"))
	for _, tc := range []struct {
		name, text string
		want       crypto.Signer
		code, msg  string
	}{
		{name: "ok/pkcs8 rsa", text: pkcs8(rsaKey), want: rsaKey},
		{name: "ok/pkcs1 rsa", text: pkcs1(rsaKey), want: rsaKey},
		{name: "ok/sec1 ec", text: sec1(ecKey), want: ecKey},
		{name: "ok/pkcs8 ec", text: pkcs8(ecKey), want: ecKey},
		{name: "ok/pkcs1 under PRIVATE KEY (terraform's fixture)", text: relabel(pkcs1(rsaKey), "PRIVATE KEY"), want: rsaKey},
		{name: "ok/pkcs8 under RSA PRIVATE KEY", text: relabel(pkcs8(rsaKey), "RSA PRIVATE KEY"), want: rsaKey},
		{name: "ok/sec1 under PRIVATE KEY", text: relabel(sec1(ecKey), "PRIVATE KEY"), want: ecKey},
		{name: "ok/sec1 under RSA PRIVATE KEY", text: relabel(sec1(ecKey), "RSA PRIVATE KEY"), want: ecKey},
		{name: "ok/ec parameters then sec1", text: ecParams(elliptic.P256()) + sec1(ecKey), want: ecKey},
		{name: "ok/crlf and surrounding space", text: "\r\n  " + crlf(pkcs8(rsaKey)) + "\r\n", want: rsaKey},
		{name: "error/empty", text: "", code: slbcert.EInvalidParameter, msg: "no PEM block"},
		{name: "error/not pem", text: "hello", code: slbcert.EInvalidParameter, msg: "no PEM block"},
		{name: "error/garbage der", text: pemString("PRIVATE KEY", []byte("garbage")), code: slbcert.EInvalidParameter, msg: "PKCS#8, PKCS#1 or SEC 1"},
		{name: "error/a certificate", text: pemString("CERTIFICATE", []byte("garbage")), code: slbcert.EInvalidParameter, msg: "PKCS#8, PKCS#1 or SEC 1"},
		{name: "error/two keys", text: pkcs8(rsaKey) + pkcs8(ecKey), code: slbcert.EInvalidParameter, msg: "more than one"},
		{name: "error/text after", text: pkcs8(rsaKey) + "junk", code: slbcert.EInvalidParameter, msg: "outside a PEM block"},
		{name: "error/headers", text: "-----BEGIN PRIVATE KEY-----\nComment: x\n\n" + strings.Join(strings.Split(pkcs8(rsaKey), "\n")[1:], "\n"), code: slbcert.EInvalidParameter, msg: "headers"},
		{name: "error/ed25519", text: ed, code: slbcert.EInvalidParameter, msg: "Ed25519"},
		{name: "error/x25519", text: pkcs8(x25519Key()), code: slbcert.EInvalidParameter, msg: "X25519"},
		{name: "error/ec parameters of another curve", text: ecParams(elliptic.P384()) + sec1(ecKey), code: slbcert.EInvalidParameter, msg: "EC PARAMETERS"},
		{name: "error/ec parameters before an rsa key", text: ecParams(elliptic.P256()) + pkcs1(rsaKey), code: slbcert.EInvalidParameter, msg: "EC PARAMETERS"},
		{name: "error/legacy encrypted", text: legacyEncrypted(rsaKey), code: EPrivateKeyEncrypted},
		{name: "error/pkcs8 encrypted", text: readTestdata(t, "rsa-pkcs8-encrypted.key"), code: EPrivateKeyEncrypted},
		{name: "error/over 64 KiB", text: pkcs8(rsaKey) + strings.Repeat(" ", MaxPEMSize), code: slbcert.EInvalidParameter, msg: "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAnyPrivateKey("Key", tc.text)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !got.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(tc.want.Public()) {
					t.Fatal("parsed another key")
				}
				return
			}
			e, ok := err.(*slbcert.Error)
			if !ok || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("got %v, want %s containing %q", err, tc.code, tc.msg)
			}
			if !strings.Contains(e.Message, "Key") {
				t.Errorf("message %q does not name the parameter", e.Message)
			}
			if der, _ := x509.MarshalPKCS8PrivateKey(rsaKey); strings.Contains(e.Message, string(der[10:30])) {
				t.Error("message quotes key material")
			}
		})
	}
}
