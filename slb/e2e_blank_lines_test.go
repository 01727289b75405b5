package slb_test

import (
	"fmt"
	"strings"
	"testing"

	"slbcert/internal/e2e"
	"slbcert/internal/testpki"
)

// withLine inserts line (and its "\n") before line n (1-based) of text.
func withLine(text string, n int, line string) string {
	lines := strings.SplitAfter(text, "\n")
	return strings.Join(lines[:n-1], "") + line + "\n" + strings.Join(lines[n-1:], "")
}

// TestBlankLinesInCertificates: through the SDK, UploadServerCertificate and
// UploadCACertificate refuse an empty or whitespace-only line between or
// inside PEM blocks, naming the line; they accept blank lines around the
// blocks, CRLF, a missing final newline and a byte order mark. Nothing is
// stored by a refused upload.
func TestBlankLinesInCertificates(t *testing.T) {
	s := e2e.Start(t)
	k := s.Calls(t, "cn-shanghai", "")
	srv := testpki.NewServer("rsa2048", testpki.Leaf{CommonName: "blank.example.com", DNSNames: []string{"blank.example.com"}})
	first, second := testpki.ChainPEM(srv.Leaf), testpki.ChainPEM(srv.Intermediate)
	chain := first + second
	if chain != srv.ChainPEM {
		t.Fatal("the chain is not leaf then intermediate")
	}
	n1 := strings.Count(first, "\n") // the leaf's lines; the intermediate begins on line n1+1
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	const (
		between = "between certificate 1 and certificate 2; PEM blocks must follow each other without blank lines."
		inside1 = "inside certificate 1; a PEM block must not contain blank lines."
		inside2 = "inside certificate 2; a PEM block must not contain blank lines."
	)

	stored := 0
	for _, tc := range []struct {
		name, pem string
		// For a refusal: "an empty line" or "a whitespace-only line", its
		// line number and where it stands.
		what  string
		line  int
		where string
	}{
		{"blank line between blocks", first + "\n" + second, "an empty line", n1 + 1, between},
		{"two blank lines between blocks", first + "\n\n" + second, "an empty line", n1 + 1, between},
		{"blank line inside a block", withLine(chain, 4, ""), "an empty line", 4, inside1},
		{"blank line inside the second block", withLine(chain, n1+2, ""), "an empty line", n1 + 2, inside2},
		{"whitespace-only line between blocks", first + " \t\n" + second, "a whitespace-only line", n1 + 1, between},
		{"whitespace-only line inside a block", withLine(chain, 3, "  "), "a whitespace-only line", 3, inside1},
		{"crlf blank line between blocks", crlf(first + "\n" + second), "an empty line", n1 + 1, between},
		{"crlf blank line inside a block", crlf(withLine(chain, 5, "")), "an empty line", 5, inside1},
		{"blank line between blocks after leading blank lines", "\n\n" + first + "\n" + second, "an empty line", n1 + 3, between},
		{"blank line between blocks after a byte order mark", "\ufeff" + first + "\n" + second, "an empty line", n1 + 1, between},
		{"blank line between blocks without a final newline", first + "\n" + strings.TrimSuffix(second, "\n"), "an empty line", n1 + 1, between},
		{"crlf throughout", crlf(chain), "", 0, ""},
		{"no final newline", strings.TrimSuffix(chain, "\n"), "", 0, ""},
		{"trailing blank lines", chain + "\n\n \n", "", 0, ""},
		{"trailing crlf blank lines", crlf(chain + "\n\n"), "", 0, ""},
		{"leading blank lines", "\n\n\t\n" + chain, "", 0, ""},
		{"byte order mark", "\ufeff" + chain, "", 0, ""},
		{"byte order mark, crlf and blank lines around", crlf("\ufeff\n" + chain + "\n\n"), "", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := e2e.UploadRequest("cn-shanghai", tc.pem, srv.KeyPEM)
			resp, err := k.C.UploadServerCertificate(req)
			caResp, caErr := k.C.UploadCACertificate(e2e.UploadCARequest(k, tc.pem, ""))
			if tc.line == 0 {
				if err != nil || caErr != nil {
					t.Fatalf("server: %v\nCA: %v", err, caErr)
				}
				stored++
				if resp.Fingerprint != e2e.Fingerprint(srv.Leaf) || resp.CommonName != "blank.example.com" || caResp.Fingerprint != e2e.Fingerprint(srv.Leaf) {
					t.Errorf("server %+v\nCA %+v", resp, caResp)
				}
				return
			}
			for _, c := range []struct {
				param string
				err   error
			}{{"ServerCertificate", err}, {"CACertificate", caErr}} {
				se := e2e.ServerError(t, c.err, "CertificateFormatInvalid", 400)
				want := fmt.Sprintf("The specified parameter %s has %s at line %d, %s", c.param, tc.what, tc.line, tc.where)
				if se.Message() != want {
					t.Errorf("message\n%q, want\n%q", se.Message(), want)
				}
			}
		})
	}
	if l, err := k.Describe(""); err != nil || len(l) != stored {
		t.Errorf("%d server certificates stored, want %d: %v", len(l), stored, err)
	}
	if l, err := k.DescribeCA("", ""); err != nil || len(l) != stored {
		t.Errorf("%d CA certificates stored, want %d: %v", len(l), stored, err)
	}
}
