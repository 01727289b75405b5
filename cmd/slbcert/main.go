// Command slbcert serves Alibaba Cloud's SLB (certificates, load balancers,
// listeners, with a data plane that serves them), CAS (the certificate
// catalog) and STS APIs on one endpoint, and administers its data:
// rotate-master-key, backup, restore (see server.Run's usage).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"slbcert/server"
)

func main() {
	if err := server.Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "slbcert:", err)
		}
		os.Exit(2)
	}
}
