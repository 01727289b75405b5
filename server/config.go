package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"slbcert"
	"slbcert/iam"
)

// Config is everything `serve` is told, in one struct: defaults, then the
// config file, then the environment, then flags, then Validate. The JSON
// names are the config file's keys; secrets (AccessKeySecret, an inline
// master key) come from the environment only.
type Config struct {
	// Listen is the address to serve on (SLBCERT_LISTEN, --listen).
	Listen string `json:"listen"`
	// DataDir holds the embedded database, the master key and the generated
	// root AccessKey (SLBCERT_DATA, --data).
	DataDir string `json:"data"`
	// DatabaseURL selects PostgreSQL (postgres://…) instead of the embedded
	// SQLite database in DataDir (SLBCERT_DATABASE_URL, --database).
	DatabaseURL string `json:"database"`
	// IAMFile declares accounts, RAM users, AccessKeys and policies
	// (SLBCERT_IAM_FILE, --iam). SIGHUP reloads it.
	IAMFile string `json:"iam"`
	// RegionsFile replaces the built-in region table (SLBCERT_REGIONS_FILE, --regions).
	RegionsFile string `json:"regions"`
	// ECSCatalogueFile replaces lists of ECS's built-in catalogue of
	// instance types, images and disk categories, and narrows what zones
	// offer (SLBCERT_ECS_CATALOGUE, --ecs-catalogue; docs/choices.md, "The
	// ECS catalogue").
	ECSCatalogueFile string `json:"ecsCatalogue"`
	// MasterKeyFile holds the base64 master keys that seal private keys
	// (SLBCERT_MASTER_KEY_FILE, --master-key-file); MasterKey gives them
	// inline, comma-separated (SLBCERT_MASTER_KEY). Neither: DATA/master.key,
	// generated on the first start of an embedded store.
	MasterKeyFile string `json:"masterKeyFile"`
	MasterKey     string `json:"-"`
	// AccessKeyID and AccessKeySecret are the default account's root
	// AccessKey (SLBCERT_ACCESS_KEY_ID, SLBCERT_ACCESS_KEY_SECRET); AccountID
	// is its id (SLBCERT_ACCOUNT_ID).
	AccessKeyID     string `json:"-"`
	AccessKeySecret string `json:"-"`
	AccountID       string `json:"accountId"`
	// TLSCert and TLSKey serve HTTPS (SLBCERT_TLS_CERT, SLBCERT_TLS_KEY,
	// --tls-cert, --tls-key). TLSSelfSigned serves HTTPS with a certificate
	// generated once into DATA/tls (SLBCERT_TLS_SELF_SIGNED, --tls-self-signed).
	TLSCert       string `json:"tlsCert"`
	TLSKey        string `json:"tlsKey"`
	TLSSelfSigned bool   `json:"tlsSelfSigned"`
	// RateLimit is the average requests per second one AccessKey may make,
	// RateBurst the burst (SLBCERT_RATE_LIMIT, SLBCERT_RATE_BURST,
	// --rate-limit, --rate-burst). RateLimit 0 turns throttling off.
	RateLimit float64 `json:"rateLimit"`
	RateBurst int     `json:"rateBurst"`
	// LBAddressPool is the CIDR load balancer addresses are allocated from
	// (SLBCERT_LB_ADDRESS_POOL, --lb-address-pool); LBPortOffset is added
	// to a listener's port where the data plane binds it
	// (SLBCERT_LB_PORT_OFFSET, --lb-port-offset), for hosts where ports
	// under 1024 are privileged (docs/choices.md, "Data plane (listeners
	// that serve)": binding).
	LBAddressPool string `json:"lbAddressPool"`
	LBPortOffset  int    `json:"lbPortOffset"`
	// InstancesFile maps backend server ids to addresses, JSON
	// {"i-…": {"ip": "127.0.0.1"}} (SLBCERT_INSTANCES_FILE, --instances).
	// SIGHUP reloads it.
	InstancesFile string `json:"instances"`
	// DNS, when set, serves DNS on that address, UDP and TCP (SLBCERT_DNS,
	// --dns): aliyuncs.com and every name under it are answered with
	// DNSAnswer (default: the API's listen address), the names of
	// DNSRecords ("name=IP", SLBCERT_DNS_RECORDS comma-separated,
	// --dns-record repeated) with their addresses, and other names are
	// forwarded to DNSUpstream (host[:port], SLBCERT_DNS_UPSTREAM,
	// --dns-upstream) or refused (dns.go).
	DNS         string   `json:"dns"`
	DNSAnswer   string   `json:"dnsAnswer"`
	DNSUpstream string   `json:"dnsUpstream"`
	DNSRecords  []string `json:"dnsRecords"`
	// Pprof, when set, serves Go's profiler (net/http/pprof) on that
	// address, apart from the API (SLBCERT_PPROF, --pprof): for measuring
	// the server; never expose it.
	Pprof string `json:"pprof"`
	// Clock is the time the rules see: security-token and STS session
	// expiry, certificate expiry (a region's rejectExpired), acs:CurrentTime
	// in policies. nil is the wall clock; tests inject one to move time.
	// Signature timestamps are always judged against the wall clock, since
	// clients sign with theirs.
	Clock func() time.Time `json:"-"`
}

// DefaultConfig returns the defaults the README's Configuration table lists.
func DefaultConfig() Config {
	return Config{
		Listen:    "127.0.0.1:8080",
		DataDir:   "./slbcert-data",
		AccountID: slbcert.DefaultAccountID,
		RateLimit: 100,
		RateBurst: 200,

		LBAddressPool: "127.255.0.0/16",
	}
}

// FromFile overrides c with the keys a JSON config file sets. Unknown keys
// are errors: a misspelt key must not silently leave a default in force.
func (c *Config) FromFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// FromEnv overrides c with the SLBCERT_* variables getenv knows.
func (c *Config) FromEnv(getenv func(string) string) error {
	for name, dst := range map[string]*string{
		"SLBCERT_LISTEN":            &c.Listen,
		"SLBCERT_DATA":              &c.DataDir,
		"SLBCERT_REGIONS_FILE":      &c.RegionsFile,
		"SLBCERT_ECS_CATALOGUE":     &c.ECSCatalogueFile,
		"SLBCERT_IAM_FILE":          &c.IAMFile,
		"SLBCERT_DATABASE_URL":      &c.DatabaseURL,
		"SLBCERT_MASTER_KEY_FILE":   &c.MasterKeyFile,
		"SLBCERT_MASTER_KEY":        &c.MasterKey,
		"SLBCERT_ACCESS_KEY_ID":     &c.AccessKeyID,
		"SLBCERT_ACCESS_KEY_SECRET": &c.AccessKeySecret,
		"SLBCERT_ACCOUNT_ID":        &c.AccountID,
		"SLBCERT_TLS_CERT":          &c.TLSCert,
		"SLBCERT_TLS_KEY":           &c.TLSKey,
		"SLBCERT_LB_ADDRESS_POOL":   &c.LBAddressPool,
		"SLBCERT_INSTANCES_FILE":    &c.InstancesFile,
		"SLBCERT_PPROF":             &c.Pprof,
		"SLBCERT_DNS":               &c.DNS,
		"SLBCERT_DNS_ANSWER":        &c.DNSAnswer,
		"SLBCERT_DNS_UPSTREAM":      &c.DNSUpstream,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("SLBCERT_DNS_RECORDS"); v != "" {
		c.DNSRecords = strings.Split(v, ",")
	}
	var err error
	if v := getenv("SLBCERT_TLS_SELF_SIGNED"); v != "" {
		if c.TLSSelfSigned, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("SLBCERT_TLS_SELF_SIGNED=%q is not a boolean", v)
		}
	}
	if v := getenv("SLBCERT_RATE_LIMIT"); v != "" {
		if c.RateLimit, err = strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("SLBCERT_RATE_LIMIT=%q is not a number", v)
		}
	}
	if v := getenv("SLBCERT_RATE_BURST"); v != "" {
		if c.RateBurst, err = strconv.Atoi(v); err != nil {
			return fmt.Errorf("SLBCERT_RATE_BURST=%q is not an integer", v)
		}
	}
	if v := getenv("SLBCERT_LB_PORT_OFFSET"); v != "" {
		if c.LBPortOffset, err = strconv.Atoi(v); err != nil {
			return fmt.Errorf("SLBCERT_LB_PORT_OFFSET=%q is not an integer", v)
		}
	}
	return nil
}

// ParseFlags overrides c with serve's command-line flags.
func (c *Config) ParseFlags(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("config", "", "JSON config file, read before the environment and the flags (env SLBCERT_CONFIG)")
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to serve the API on (env SLBCERT_LISTEN)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "state directory: embedded database, master key, root AccessKey (env SLBCERT_DATA)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "postgres://… to use PostgreSQL; empty: embedded SQLite in --data (env SLBCERT_DATABASE_URL)")
	fs.StringVar(&c.IAMFile, "iam", c.IAMFile, "JSON file of accounts, RAM users, AccessKeys and policies; reloaded on SIGHUP (env SLBCERT_IAM_FILE)")
	fs.StringVar(&c.RegionsFile, "regions", c.RegionsFile, "JSON file replacing the built-in region table (env SLBCERT_REGIONS_FILE)")
	fs.StringVar(&c.ECSCatalogueFile, "ecs-catalogue", c.ECSCatalogueFile, "JSON file replacing ECS's built-in instance types, images and disk categories (env SLBCERT_ECS_CATALOGUE)")
	fs.StringVar(&c.MasterKeyFile, "master-key-file", c.MasterKeyFile, "file with the base64 master keys sealing private keys, primary first (env SLBCERT_MASTER_KEY_FILE; default DATA/master.key, generated)")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "PEM certificate chain to serve HTTPS with (env SLBCERT_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "PEM private key of --tls-cert (env SLBCERT_TLS_KEY)")
	fs.BoolVar(&c.TLSSelfSigned, "tls-self-signed", c.TLSSelfSigned, "serve HTTPS under slbcert's local CA, whose certificate is DATA/tls/self-signed.crt: a leaf for every aliyuncs.com name asked for (env SLBCERT_TLS_SELF_SIGNED)")
	fs.Float64Var(&c.RateLimit, "rate-limit", c.RateLimit, "requests per second per AccessKey, on average; 0 for no limit (env SLBCERT_RATE_LIMIT)")
	fs.IntVar(&c.RateBurst, "rate-burst", c.RateBurst, "requests one AccessKey may burst above --rate-limit (env SLBCERT_RATE_BURST)")
	fs.StringVar(&c.LBAddressPool, "lb-address-pool", c.LBAddressPool, "CIDR load balancer addresses are allocated from (env SLBCERT_LB_ADDRESS_POOL)")
	fs.IntVar(&c.LBPortOffset, "lb-port-offset", c.LBPortOffset, "added to listener ports where the data plane binds them (env SLBCERT_LB_PORT_OFFSET)")
	fs.StringVar(&c.InstancesFile, "instances", c.InstancesFile, `JSON file {"i-…": {"ip": "127.0.0.1"}} of backend addresses; reloaded on SIGHUP (env SLBCERT_INSTANCES_FILE)`)
	fs.StringVar(&c.DNS, "dns", c.DNS, "address to serve DNS on (UDP and TCP), answering aliyuncs.com and every name under it with the API's address; empty: off (env SLBCERT_DNS)")
	fs.StringVar(&c.DNSAnswer, "dns-answer", c.DNSAnswer, "IP address(es), comma-separated, --dns answers with; default: the --listen address (env SLBCERT_DNS_ANSWER)")
	fs.StringVar(&c.DNSUpstream, "dns-upstream", c.DNSUpstream, "resolver (host[:port]) --dns forwards other names to; empty: they are refused (env SLBCERT_DNS_UPSTREAM)")
	fs.Var(&listFlag{list: &c.DNSRecords}, "dns-record", "NAME=IP that --dns answers too, e.g. a load balancer's name; repeatable (env SLBCERT_DNS_RECORDS, comma-separated)")
	fs.StringVar(&c.Pprof, "pprof", c.Pprof, "address to serve Go's profiler (net/http/pprof) on, apart from the API; empty: off (env SLBCERT_PPROF)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	return nil
}

// Validate reports the first inconsistency in c.
func (c *Config) Validate() error {
	if c.Listen == "" {
		return errors.New("--listen must not be empty")
	}
	if c.DataDir == "" {
		return errors.New("--data must not be empty")
	}
	if (c.AccessKeyID == "") != (c.AccessKeySecret == "") {
		return errors.New("SLBCERT_ACCESS_KEY_ID and SLBCERT_ACCESS_KEY_SECRET must be set together")
	}
	if !iam.ValidAccountID(c.AccountID) {
		return fmt.Errorf("SLBCERT_ACCOUNT_ID %q is not a 16-digit account id", c.AccountID)
	}
	if c.MasterKey != "" && c.MasterKeyFile != "" {
		return errors.New("give the master key either inline (SLBCERT_MASTER_KEY) or as a file, not both")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.TLSCert != "" && c.TLSSelfSigned {
		return errors.New("give --tls-cert/--tls-key or --tls-self-signed, not both")
	}
	if c.RateLimit < 0 || c.RateBurst < 1 && c.RateLimit > 0 {
		return errors.New("--rate-limit must be 0 (off) or positive, with --rate-burst at least 1")
	}
	if _, err := c.AddressPool(); err != nil {
		return err
	}
	if c.LBPortOffset < 0 || c.LBPortOffset > 65534 {
		return fmt.Errorf("--lb-port-offset %d must be from 0 to 65534", c.LBPortOffset)
	}
	if _, err := c.dnsConfig(nil); err != nil {
		return err
	}
	if c.DatabaseURL != "" {
		if !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
			return errors.New("--database must be a postgres:// URL (leave it empty for the embedded SQLite database)")
		}
		// Replicas share the database, so they must share what seals and
		// signs: nothing may be generated per machine.
		if c.MasterKey == "" && c.MasterKeyFile == "" {
			return errors.New("with --database, give the master key (SLBCERT_MASTER_KEY or --master-key-file): every replica must seal with the same key")
		}
		if c.AccessKeyID == "" && c.IAMFile == "" {
			return errors.New("with --database, give the root AccessKey (SLBCERT_ACCESS_KEY_ID/SECRET) or an IAM file: every replica must accept the same keys")
		}
	}
	return nil
}

// LoadConfig builds the configuration of `serve`: defaults, the config
// file (--config or SLBCERT_CONFIG), the environment, the flags.
func LoadConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := DefaultConfig()
	path := getenv("SLBCERT_CONFIG")
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "config" {
			if hasValue {
				path = value
			} else if i+1 < len(args) {
				path = args[i+1]
			}
		}
	}
	if path != "" {
		if err := c.FromFile(path); err != nil {
			return c, err
		}
	}
	if err := c.FromEnv(getenv); err != nil {
		return c, err
	}
	if err := c.ParseFlags(args, stderr); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// AddressPool parses LBAddressPool: a CIDR with room for at least one load
// balancer.
func (c *Config) AddressPool() (netip.Prefix, error) {
	p, err := netip.ParsePrefix(c.LBAddressPool)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("--lb-address-pool %q is not a CIDR such as 127.255.0.0/16", c.LBAddressPool)
	}
	return p.Masked(), nil
}

// listFlag is a repeatable flag: its first use replaces the list the
// config file or the environment gave, later uses add to it.
type listFlag struct {
	list *[]string
	set  bool
}

func (f *listFlag) String() string {
	if f.list == nil {
		return ""
	}
	return strings.Join(*f.list, ",")
}

func (f *listFlag) Set(v string) error {
	if !f.set {
		*f.list, f.set = nil, true
	}
	*f.list = append(*f.list, v)
	return nil
}
