package cas

import (
	"context"
	"errors"
	"strconv"

	"slbcert"
	"slbcert/certs"
)

// MaxNameLength is the longest Name UploadUserCertificate takes, in
// characters (Alibaba's metadata).
const MaxNameLength = 64

// MaxRenameLength is the longest Name CreateCertificateName takes. The
// 2018-08-13 API publishes no limit, and Terraform's own acceptance test
// renames to names of 66 characters and more ("tf-testacc" + region +
// "sslcertificatesservicecertificate" + 5 digits + "-update"), so the
// limit there must be larger than the upload's.
const MaxRenameLength = 128

// UploadInput carries UploadUserCertificate's parameters, as sent.
type UploadInput struct {
	Name string
	// Cert and Key are the PEM certificate (a chain may follow the leaf)
	// and its private key, kept byte for byte.
	Cert, Key string
	// The ShangMi (SM2) pairs, kept verbatim beside Cert and Key, which
	// the real service lets them stand in for.
	EncryptCert, EncryptPrivateKey, SignCert, SignPrivateKey string
	ResourceGroupID                                          string
	Tags                                                     []slbcert.Tag // Tags.N, as given; an absent key is ""
}

// Upload adds a certificate to p's catalog (UploadUserCertificate). Checks
// run in the order of docs/choices.md's table ("Certificate catalog (CAS)":
// Uploads), the first failure answers, and a failed call stores nothing:
//
//  1. RAM yundun-cert:UploadUserCertificate: 403 NoPermission
//  2. Name missing: MissingParameter; over 64 characters: InvalidParameter;
//     taken in the account: InvalidParameter.Name
//  3. neither Cert+Key nor a complete SM set, half a pair: MissingParameter;
//     a complete SM set without Cert+Key: InvalidParameter (SM2 is not
//     supported here)
//  4. Cert not PEM CERTIFICATE blocks: CertificateFormatInvalid (over 64 KiB:
//     InvalidParameter)
//  5. Key over 64 KiB: InvalidParameter; encrypted: PrivateKeyEncryption;
//     unparsable (PKCS#8, PKCS#1 and SEC 1 are tried whatever the label):
//     InvalidParameter
//  6. Key not the leaf's: InvalidParameter "The certificate and private key
//     do not match."
//  7. an SM field over 64 KiB: InvalidParameter
//  8. ResourceGroupId malformed: InvalidParameter.ResourceGroupId
//  9. tag rules: MissingParam.TagKey, InvalidParam.TagKey/TagValue,
//     SizeLimitExceeded.Tag
//  10. the account's catalog full: OverQuota
//
// Expired certificates are accepted; no chain or trust check is made.
func (s *Service) Upload(ctx context.Context, p *slbcert.Principal, in UploadInput) (*UserCertificate, error) {
	if err := s.authorize(p, "UploadUserCertificate"); err != nil {
		return nil, err
	}
	if err := s.checkName(ctx, p, in.Name, 0); err != nil {
		return nil, err
	}
	if err := checkMaterial(in); err != nil {
		return nil, err
	}
	chain, err := certs.ParseChain("Cert", in.Cert)
	if err != nil {
		return nil, err
	}
	key, err := certs.ParseAnyPrivateKey("Key", in.Key)
	if err != nil {
		return nil, err
	}
	if err := certs.MatchKey(chain.Leaf(), key); err != nil {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, MsgCatalogKeyMismatch)
	}
	for _, f := range []struct{ param, text string }{
		{"EncryptCert", in.EncryptCert}, {"EncryptPrivateKey", in.EncryptPrivateKey},
		{"SignCert", in.SignCert}, {"SignPrivateKey", in.SignPrivateKey},
	} {
		if len(f.text) > certs.MaxPEMSize {
			return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter %s is too large: %d bytes, the maximum is %d bytes.", f.param, len(f.text), certs.MaxPEMSize)
		}
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	if err := slbcert.CheckTagsToWrite(in.Tags, "Tags"); err != nil {
		return nil, err
	}

	id, err := s.Store.NextUserCertificateID(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	c := &UserCertificate{
		ID:              id,
		AccountID:       p.Account.ID,
		InstanceID:      instanceID(id),
		Name:            in.Name,
		ResourceGroupID: group,
		Cert:            in.Cert,
		EncryptCert:     in.EncryptCert,
		SignCert:        in.SignCert,
		CreateTime:      s.now(),
		Tags:            slbcert.DedupeTags(in.Tags),
	}
	describe(c, chain)
	if c.SealedKeys, err = s.seal(c.AccountID, c.ID, Keys{Key: in.Key, EncryptPrivateKey: in.EncryptPrivateKey, SignPrivateKey: in.SignPrivateKey}); err != nil {
		return nil, err
	}
	limit := p.Account.Quota(QuotaCertificates, DefaultQuota)
	switch err := s.Store.CreateUserCertificate(ctx, c, limit); {
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return nil, slbcert.Errorf(slbcert.EOverQuota, "The certificate catalog of this account already holds its quota of %d certificates; delete some first.", limit)
	case err != nil:
		return nil, storeError(err)
	}
	return c, nil
}

// checkName checks a Name to give entry self (0 for a new one): present,
// at most 64 characters, not another entry's in the account.
func (s *Service) checkName(ctx context.Context, p *slbcert.Principal, name string, self int64) error {
	if name == "" {
		return slbcert.MissingParameter("Name")
	}
	if n := len([]rune(name)); n > MaxNameLength {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified parameter Name is too long: %d characters, at most %d.", n, MaxNameLength)
	}
	same, _, err := s.Store.FindUserCertificates(ctx, UserCertificateFilter{AccountID: p.Account.ID, Name: name, Limit: 1})
	if err != nil {
		return storeError(err)
	}
	if len(same) > 0 && same[0].ID != self {
		return errNameTaken()
	}
	return nil
}

func errNameTaken() error {
	return slbcert.Errorf(EInvalidName, "The certificate name already exists.")
}

// checkMaterial requires Cert with Key. The SM set (EncryptCert,
// EncryptPrivateKey, SignCert, SignPrivateKey) may stand in for them only
// whole; this server cannot parse SM2 certificates, so it says so.
func checkMaterial(in UploadInput) error {
	switch {
	case in.Cert != "" && in.Key == "":
		return slbcert.MissingParameter("Key")
	case in.Key != "" && in.Cert == "":
		return slbcert.MissingParameter("Cert")
	case in.Cert != "":
		return nil
	}
	sm := []struct{ param, text string }{
		{"EncryptCert", in.EncryptCert}, {"EncryptPrivateKey", in.EncryptPrivateKey},
		{"SignCert", in.SignCert}, {"SignPrivateKey", in.SignPrivateKey},
	}
	given := 0
	for _, f := range sm {
		if f.text != "" {
			given++
		}
	}
	if given == 0 {
		return slbcert.MissingParameter("Cert")
	}
	for _, f := range sm {
		if f.text == "" {
			return slbcert.MissingParameter(f.param)
		}
	}
	return slbcert.Errorf(slbcert.EInvalidParameter, "ShangMi (SM2) certificates are not supported by this server: upload an RSA or ECC certificate as Cert and Key.")
}

// instanceID derives an entry's InstanceId from its CertId: "cas-upload-"
// and six base-36 digits. The map is a bijection of ids modulo 36^6, so ids
// below 36^6 (2.1 billion; they start at ten million) never share one,
// with no table or retry, and consecutive ids do not look consecutive.
func instanceID(id int64) string {
	const (
		space = 2176782336 // 36^6
		mul   = 1345294543 // coprime to 36^6 (odd, not a multiple of 3)
		add   = 1234567891
	)
	v := (uint64(id)%space*mul + add) % space
	digits := strconv.FormatUint(v, 36)
	for len(digits) < 6 {
		digits = "0" + digits
	}
	return "cas-upload-" + digits
}
