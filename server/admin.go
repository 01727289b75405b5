package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"slbcert"
	"slbcert/keyring"
	"slbcert/slb"
	"slbcert/sqlite"
)

// storeFlags parses the flags every admin command shares (--data,
// --database, --master-key-file) over the environment's configuration, and
// returns the positional arguments.
func storeFlags(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, []string, error) {
	c := DefaultConfig()
	if err := c.FromEnv(getenv); err != nil {
		return c, nil, err
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data", c.DataDir, "state directory (env SLBCERT_DATA)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "postgres://… (env SLBCERT_DATABASE_URL)")
	fs.StringVar(&c.MasterKeyFile, "master-key-file", c.MasterKeyFile, "master key file (env SLBCERT_MASTER_KEY_FILE; default DATA/master.key)")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

// rotateMasterKey moves every sealed private key to a new master key,
// online: servers keep running. The first run rewrites the key file
// (DATA/master.key or --master-key-file) to hold the new key first and the
// old ones after it, and re-wraps nothing: running servers hold only the
// keys they started with and open sealed keys while serving (catalog
// details, copies from the catalog, the data plane), so no blob may move to
// a key they lack. Restarted servers seal with the new key and open both.
// With --retire (after every server restarted on the new key file), each
// blob not sealed by the new key is opened and sealed again, swapped in
// only if unchanged meanwhile, and the older keys are dropped from the file.
func rotateMasterKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var newKeyFile string
	var retire bool
	cfg, rest, err := storeFlags("rotate-master-key", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&newKeyFile, "new-master-key-file", "", "file with the new base64 master key (default: generate one)")
		fs.BoolVar(&retire, "retire", false, "re-wrap stragglers, then drop the older keys from the key file")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("rotate-master-key: unexpected arguments %q", rest)
	}
	m := NewMain(cfg, stderr)
	m.Log = slog.New(slog.NewTextHandler(stderr, nil))
	store, err := OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	sources := sealedKeySources(store)
	keys, path, err := m.MasterKeys(ctx, store)
	if err != nil {
		return err
	}
	if !retire {
		fresh := keyring.NewKey()
		if newKeyFile != "" {
			given, err := keyring.ReadKeyFile(newKeyFile)
			if err != nil {
				return err
			}
			fresh = given[0]
		}
		keys = append([][]byte{fresh}, keys...)
		if path == "" {
			return errors.New("the master key is given inline (SLBCERT_MASTER_KEY): put it in a file (--master-key-file) to rotate it, or set SLBCERT_MASTER_KEY=NEW,OLD on every server and run this with that setting and --retire")
		}
		if err := keyring.WriteKeyFile(path, keys); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "master key file %s now holds the new key %s first and %d older key(s)\n", path, keyring.KeyID(keys[0]), len(keys)-1)
		fmt.Fprintln(stdout, "restart the servers so they seal with the new key and open both, then run rotate-master-key --retire to re-wrap every private key under it and drop the old key")
		return nil
	}
	ring, err := keyring.New(keys[0], keys[1:]...)
	if err != nil {
		return err
	}
	resealed, kept := 0, 0
	for _, r := range sources { // server certificates, then the catalog
		n, k, err := reseal(ctx, r, ring)
		resealed, kept = resealed+n, kept+k
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "re-wrapped %d private key(s); %d were already under key %s\n", resealed, kept, ring.PrimaryID())
	if path == "" {
		fmt.Fprintln(stdout, "every record is under the first key of SLBCERT_MASTER_KEY; drop the others from it")
		return nil
	}
	if err := keyring.WriteKeyFile(path, keys[:1]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "master key file %s now holds only key %s\n", path, ring.PrimaryID())
	return nil
}

// reseal pages through every sealed key and seals again, under the
// keyring's primary, those sealed by another key.
func reseal(ctx context.Context, store slb.KeyResealer, ring *keyring.Keyring) (resealed, kept int, err error) {
	after := ""
	for {
		page, err := store.SealedKeys(ctx, after, 500)
		if err != nil {
			return resealed, kept, err
		}
		if len(page) == 0 {
			return resealed, kept, nil
		}
		for _, k := range page {
			after = k.ID
			if id, _ := keyring.SealedKeyID(k.Blob); id == ring.PrimaryID() {
				kept++
				continue
			}
			aad := keyring.AAD(k.AccountID, k.ID)
			plain, err := ring.Open(k.Blob, aad)
			if err != nil {
				return resealed, kept, fmt.Errorf("certificate %s: %w", k.ID, err)
			}
			blob, err := ring.Seal(plain, aad)
			clear(plain)
			if err != nil {
				return resealed, kept, err
			}
			switch err := store.ResealKey(ctx, k.ID, k.Blob, blob); {
			case errors.Is(err, slbcert.ErrNotFound): // deleted meanwhile
			case err != nil:
				return resealed, kept, err
			default:
				resealed++
			}
		}
	}
}

// backup writes a consistent copy of the embedded database to a new file
// while the server runs. Private keys stay sealed in it; the master key is
// not in it and must be kept apart.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := storeFlags("backup", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("usage: slbcert backup [--data DIR] FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup copies the embedded database; for PostgreSQL use pg_dump")
	}
	store, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "slbcert.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s; keep the master key (%s) safe apart from it\n", cfg.DataDir, rest[0], filepath.Join(cfg.DataDir, "master.key"))
	return nil
}

// restore puts a backup in place of the embedded database. The server must
// be stopped. The backup is checked first: it must open, and the master key
// in force must open its sealed keys.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var force bool
	cfg, rest, err := storeFlags("restore", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "replace an existing database")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("usage: slbcert restore [--data DIR] [--force] FILE   (with the server stopped)")
	}
	dbPath := filepath.Join(cfg.DataDir, "slbcert.db")
	if _, err := os.Stat(dbPath); err == nil && !force {
		return fmt.Errorf("%s exists; stop the server and give --force to replace it", dbPath)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	staged := dbPath + ".restore"
	os.Remove(staged)
	if err := copyFile(rest[0], staged); err != nil {
		return err
	}
	defer os.Remove(staged)
	check, err := sqlite.Open(ctx, staged)
	if err != nil {
		return fmt.Errorf("the backup does not open: %w", err)
	}
	m := NewMain(cfg, stderr)
	_, err = m.OpenKeyring(ctx, check)
	check.Close()
	if err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		os.Remove(staged + suffix)
	}
	if err := os.Rename(staged, dbPath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", dbPath, rest[0])
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
