package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"slbcert"
	"slbcert/iam"
)

// Config is everything `serve` is told: defaults, then environment, then
// flags, then Validate.
type Config struct {
	// Listen is the address to serve on (SLBCERT_LISTEN, --listen).
	Listen string
	// DataDir holds the embedded database, the master key and the generated
	// root AccessKey (SLBCERT_DATA, --data).
	DataDir string
	// DatabaseURL selects PostgreSQL (postgres://…) instead of the embedded
	// SQLite database in DataDir (SLBCERT_DATABASE_URL, --database).
	DatabaseURL string
	// IAMFile declares accounts, RAM users, AccessKeys and policies
	// (SLBCERT_IAM_FILE, --iam). SIGHUP reloads it.
	IAMFile string
	// RegionsFile replaces the built-in region table (SLBCERT_REGIONS_FILE, --regions).
	RegionsFile string
	// MasterKeyFile holds the base64 master key that seals private keys
	// (SLBCERT_MASTER_KEY_FILE, --master-key-file); MasterKey gives it inline
	// (SLBCERT_MASTER_KEY). Neither: generated into DataDir on first start.
	MasterKeyFile string
	MasterKey     string
	// AccessKeyID and AccessKeySecret are the default account's root
	// AccessKey (SLBCERT_ACCESS_KEY_ID, SLBCERT_ACCESS_KEY_SECRET); AccountID
	// is its id (SLBCERT_ACCOUNT_ID).
	AccessKeyID     string
	AccessKeySecret string
	AccountID       string
}

// DefaultConfig returns the defaults of contract.md §1.
func DefaultConfig() Config {
	return Config{Listen: "127.0.0.1:8080", DataDir: "./slbcert-data", AccountID: slbcert.DefaultAccountID}
}

// FromEnv overrides c with the SLBCERT_* variables getenv knows.
func (c *Config) FromEnv(getenv func(string) string) {
	for name, dst := range map[string]*string{
		"SLBCERT_LISTEN":            &c.Listen,
		"SLBCERT_DATA":              &c.DataDir,
		"SLBCERT_REGIONS_FILE":      &c.RegionsFile,
		"SLBCERT_IAM_FILE":          &c.IAMFile,
		"SLBCERT_DATABASE_URL":      &c.DatabaseURL,
		"SLBCERT_MASTER_KEY_FILE":   &c.MasterKeyFile,
		"SLBCERT_MASTER_KEY":        &c.MasterKey,
		"SLBCERT_ACCESS_KEY_ID":     &c.AccessKeyID,
		"SLBCERT_ACCESS_KEY_SECRET": &c.AccessKeySecret,
		"SLBCERT_ACCOUNT_ID":        &c.AccountID,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
}

// ParseFlags overrides c with serve's command-line flags.
func (c *Config) ParseFlags(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to serve the API on (env SLBCERT_LISTEN)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "state directory: embedded database, master key, root AccessKey (env SLBCERT_DATA)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "postgres://… to use PostgreSQL; empty: embedded SQLite in --data (env SLBCERT_DATABASE_URL)")
	fs.StringVar(&c.IAMFile, "iam", c.IAMFile, "JSON file of accounts, RAM users, AccessKeys and policies; reloaded on SIGHUP (env SLBCERT_IAM_FILE)")
	fs.StringVar(&c.RegionsFile, "regions", c.RegionsFile, "JSON file replacing the built-in region table (env SLBCERT_REGIONS_FILE)")
	fs.StringVar(&c.MasterKeyFile, "master-key-file", c.MasterKeyFile, "file with the base64 master key sealing private keys (env SLBCERT_MASTER_KEY_FILE; default DATA/master.key, generated)")
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

// LoadConfig builds the configuration of `serve`.
func LoadConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := DefaultConfig()
	c.FromEnv(getenv)
	if err := c.ParseFlags(args, stderr); err != nil {
		return c, err
	}
	return c, c.Validate()
}
