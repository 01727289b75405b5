package sts

import (
	"encoding/base64"
	"testing"
	"time"

	"slbcert"
	"slbcert/keyring"
)

// FuzzAuthenticate feeds token texts to the gateway's entry point: no
// input panics, every refusal is one of the three token codes, and any
// token accepted is one this server sealed (it opens to a session whose
// AccessKeyId it was presented with).
func FuzzAuthenticate(f *testing.F) {
	fx := newFixture(f)
	dev := fx.principal(f, "AK-dev")
	for _, in := range []AssumeRoleInput{
		{RoleArn: roleArn("Deployer"), RoleSessionName: "fuzz"},
		{RoleArn: roleArn("Deployer"), RoleSessionName: "fuzz", SourceIdentity: "Alice",
			Policy: `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}`},
	} {
		issued, err := fx.AssumeRole(dev, in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(issued.SecurityToken, issued.AccessKeyID)
		f.Add(issued.SecurityToken[:len(issued.SecurityToken)/2], issued.AccessKeyID)
	}
	// A sealed blob whose plaintext is not a session.
	blob, _ := fx.Keyring.Seal([]byte(`{"k":"STS.x"}`), tokenAAD)
	f.Add(base64.RawURLEncoding.EncodeToString(append([]byte{tokenVersion}, blob...)), "STS.x")
	other, _ := keyring.New(testKey(9))
	blob, _ = other.Seal([]byte(`{}`), tokenAAD)
	f.Add(base64.RawURLEncoding.EncodeToString(append([]byte{tokenVersion}, blob...)), "STS.x")
	f.Add("", "STS.x")
	f.Add("CAISzAJ1q6Ft5B2yfSjIr5bgDNDxm75Z", "STS.NUQNP4PiGyckMsNiGELCs")

	f.Fuzz(func(t *testing.T, token, keyID string) {
		key, err := fx.Authenticate(token, keyID, fx.now)
		switch slbcert.ErrorCode(err) {
		case "":
			if key.ID != keyID || key.Principal == nil || !key.Principal.IsSession() {
				t.Fatalf("accepted %q for %q as %+v", token, keyID, key)
			}
			if _, err := fx.Authenticate(token, keyID, time.Unix(1<<40, 0)); slbcert.ErrorCode(err) != slbcert.ESecurityTokenExpired {
				t.Fatalf("an accepted token never expires: %v", err)
			}
		case slbcert.ESecurityTokenMalformed, slbcert.ESecurityTokenMismatch, slbcert.ESecurityTokenExpired:
		default:
			t.Fatalf("token %q: %v", token, err)
		}
	})
}
