//go:build ignore

// gen_timed writes store_timed.go from the Store interface of store.go:
// go generate ./server.
package main

import (
	"log"
	"os"

	"slbcert/server/internal/timedgen"
)

func main() {
	src, err := timedgen.Generate(timedgen.ServerStore)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("store_timed.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
