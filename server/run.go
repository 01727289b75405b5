package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: slbcert COMMAND [flags]   (slbcert COMMAND -h lists its flags)

  serve               serve the API
  rotate-master-key   re-wrap every sealed private key under a new master key, online
  backup FILE         copy the embedded database, consistent, while it serves
  restore FILE        put a backup in place (server stopped)
  ca                  print the local CA's certificate (what --tls-self-signed serves under), creating it first`

// Run runs the slbcert command line: args without the program name,
// getenv for the environment. It returns when the command is done (serve:
// on SIGINT/SIGTERM, after draining).
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "serve":
		cfg, err := LoadConfig(args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		m := NewMain(cfg, stderr)
		if err := m.Open(ctx); err != nil {
			m.Close()
			return err
		}
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		for {
			select {
			case <-hup:
				m.ReloadIAM()
				m.ReloadInstances()
			case <-ctx.Done():
				m.Log.Info("shutting down")
				return m.Close()
			}
		}
	case "rotate-master-key":
		return rotateMasterKey(context.Background(), args[1:], getenv, stdout, stderr)
	case "backup":
		return backup(context.Background(), args[1:], getenv, stdout, stderr)
	case "restore":
		return restore(context.Background(), args[1:], getenv, stdout, stderr)
	case "ca":
		return printCA(context.Background(), args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stderr, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}
