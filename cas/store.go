package cas

import (
	"context"
	"errors"
	"slbcert"
	"strconv"
	"time"
)

// CAS is the certificate catalog's product (Alibaba Cloud's Certificate
// Management Service): its API versions on the shared endpoint, the
// site suffix of CertIdentifier, and its default quota (docs/choices.md,
// "Certificate catalog (CAS)").
const (
	// CASVersion serves upload, detail, delete and list.
	Version = "2020-04-07"
	// CASRenameVersion serves CreateCertificateName, which Terraform's
	// update calls.
	RenameVersion = "2018-08-13"
	// CASLegacyVersion serves DescribeUserCertificateDetail, which
	// Terraform's data source calls with enable_details.
	LegacyVersion = "2018-07-13"
	// CASRegionID is the China site's region: the suffix of every
	// CertIdentifier ("{CertId}-cn-hangzhou").
	RegionID = "cn-hangzhou"
	// DefaultCatalogQuota is how many certificates an account's catalog
	// holds unless the IAM file says otherwise.
	DefaultQuota = 1000
	// QuotaCertificates names DefaultQuota's override in the IAM file.
	QuotaCertificates = "catalogCertificates"
	// FirstUserCertificateID is the CertId the first upload of a new
	// database gets: real ids are 7 to 8 digits.
	FirstUserCertificateID = 10_000_001
)

// UserCertificate is one entry of an account's certificate catalog (CAS):
// an uploaded certificate with its private key, kept byte for byte as
// sent, and what the catalog reports about it (GetUserCertificateDetail:
// https://www.alibabacloud.com/help/en/ssl-certificate/developer-reference/api-cas-2020-04-07-getusercertificatedetail;
// docs/choices.md, "Certificate catalog (CAS)"). One catalog per account,
// not per region. Times are UTC at millisecond precision.
type UserCertificate struct {
	// ID is the CertId: unique in the whole store (across accounts),
	// increasing, never reused.
	ID              int64
	AccountID       string
	InstanceID      string // "cas-upload-" and 6 lowercase letters and digits; also the ResourceId
	Name            string // unique in the account
	ResourceGroupID string

	// Cert, EncryptCert and SignCert are the certificate texts exactly as
	// uploaded (Terraform compares them with its configuration).
	Cert        string
	EncryptCert string
	SignCert    string
	// SealedKeys is the AEAD-sealed private keys (Key, EncryptPrivateKey,
	// SignPrivateKey), bound to AccountID and UserCertificateRecordID(ID).
	// Plaintext keys never reach a store.
	SealedKeys []byte

	CommonName  string   // leaf subject CN
	Sans        []string // leaf DNS SANs in certificate order
	Fingerprint string   // uppercase hex SHA-1 of the leaf DER, no separators
	Sha2        string   // uppercase hex SHA-256 of the leaf DER
	SerialNo    string   // lowercase hex of the serial, byte-aligned
	Issuer      string   // issuer CN, else its O
	OrgName     string   // subject O
	Province    string   // subject ST
	City        string   // subject L
	Country     string   // subject C
	Algorithm   string   // "RSA", "ECC" or "SM2"
	NotBefore   time.Time
	NotAfter    time.Time
	Chain       []CertChainEntry // one entry per certificate uploaded, leaf first
	CreateTime  time.Time

	Tags []slbcert.Tag
}

// CertChainEntry describes one certificate of an uploaded chain, as
// GetUserCertificateDetail's CertChain lists it.
type CertChainEntry struct {
	CommonName       string
	IssuerCommonName string
	NotBefore        time.Time
	NotAfter         time.Time
}

// UserCertificateRecordID names a catalog entry in the associated data of
// its sealed keys (keyring.AAD(accountID, recordID)): apart from every
// server certificate id, so a blob never opens on another kind of record.
func UserCertificateRecordID(id int64) string { return "cas/" + strconv.FormatInt(id, 10) }

// UserCertificateFilter selects and pages one account's catalog. Zero-valued
// fields do not filter.
type UserCertificateFilter struct {
	AccountID string // required
	// Name matches exactly.
	Name string
	// Keyword is a case-insensitive substring of the CommonName, a SAN or
	// the InstanceID.
	Keyword         string
	ResourceGroupID string
	// NotAfterFrom and NotAfterBefore bound NotAfter: From ≤ NotAfter < Before.
	NotAfterFrom, NotAfterBefore time.Time
	// Offset skips that many matches, newest (highest ID) first; Limit
	// caps the page (0: no cap).
	Offset, Limit int
}

// UserCertificateUpdate changes an entry: nil fields stay as they are.
type UserCertificateUpdate struct {
	Name            *string
	ResourceGroupID *string
	// Tags, when not nil, replace the entry's tags entirely (an empty
	// slice clears them).
	Tags *[]slbcert.Tag
}

// ErrNameTaken is returned by a catalog store when the account already has
// an entry of that name.
var ErrNameTaken = errors.New("name taken")

// Store keeps the certificate catalogs. Like slb.CertificateStore it is
// dumb: validation, authorization and sealing happen in package cas. A write
// that returns nil is durable; one that returns an error changed nothing.
type Store interface {
	// NextUserCertificateID reserves a CertId: larger than every one
	// reserved before, by any server sharing the database, never handed
	// out twice even if unused. The first is FirstUserCertificateID.
	NextUserCertificateID(ctx context.Context) (int64, error)

	// CreateUserCertificate inserts c (whose ID was reserved), unless c's
	// account already holds limit entries (ErrQuotaExceeded) or one named
	// c.Name (ErrNameTaken). The count and the insert are atomic across
	// servers sharing the database.
	CreateUserCertificate(ctx context.Context, c *UserCertificate, limit int) error

	// GetUserCertificate returns one entry of the account, or ErrNotFound
	// (also for another account's entry).
	GetUserCertificate(ctx context.Context, accountID string, id int64) (*UserCertificate, error)

	// FindUserCertificates returns one page of the matching entries,
	// newest (highest ID) first, and how many match in all.
	FindUserCertificates(ctx context.Context, f UserCertificateFilter) (page []*UserCertificate, total int, err error)

	// UpdateUserCertificate applies u to one entry of the account:
	// ErrNotFound, or ErrNameTaken when another entry has the new name.
	UpdateUserCertificate(ctx context.Context, accountID string, id int64, u UserCertificateUpdate) error

	// DeleteUserCertificate removes one entry of the account, or answers
	// ErrNotFound.
	DeleteUserCertificate(ctx context.Context, accountID string, id int64) error
}

// KeyResealer re-wraps the catalog's sealed keys under a new master key
// (slbcert rotate-master-key), and shows the server at start one key to
// check its master key against.
type KeyResealer interface {
	// SealedUserCertificateKeys returns up to limit sealed blobs of entries
	// whose ID is above afterID, in ID order; SealedKey.ID is
	// UserCertificateRecordID of the entry.
	SealedUserCertificateKeys(ctx context.Context, afterID int64, limit int) ([]slbcert.SealedKey, error)
	// ResealUserCertificateKeys replaces the sealed blob of entry id,
	// provided it is still old; otherwise (changed or deleted meanwhile)
	// ErrNotFound.
	ResealUserCertificateKeys(ctx context.Context, id int64, old, new []byte) error
}
