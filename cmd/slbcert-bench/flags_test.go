package main

import (
	"io"
	"testing"
)

func TestParseFlags(t *testing.T) {
	o, err := ParseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Workers != 8 || o.Scale != 100000 || o.Starts != 5 || !o.Moto {
		t.Fatalf("defaults: %+v", o)
	}
	for name, args := range map[string][]string{
		"error/remote moto":  {"--moto-url", "http://10.0.0.1:5000"},
		"error/https moto":   {"--moto-url", "https://127.0.0.1:5000"},
		"error/no workers":   {"--workers", "0"},
		"error/negative":     {"--scale", "-1"},
		"error/long phase":   {"--duration", "1h"},
		"error/stray":        {"extra"},
		"error/no port":      {"--moto-url", "http://127.0.0.1"},
		"error/not loopback": {"--moto-url", "http://example.com:5000"},
	} {
		if _, err := ParseFlags(args, io.Discard); err == nil {
			t.Errorf("%s: %q accepted", name, args)
		}
	}
	if _, err := ParseFlags([]string{"--moto-url", "http://localhost:5000", "--scale", "0"}, io.Discard); err != nil {
		t.Errorf("loopback moto refused: %v", err)
	}
}
