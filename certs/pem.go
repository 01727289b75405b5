package certs

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"strings"
)

var pemBegin = []byte("-----BEGIN ")

var utf8BOM = []byte("\ufeff")

// normalise turns CRLF into LF and trims surrounding whitespace, and a
// leading UTF-8 byte order mark (Windows editors write one; it is invisible
// to the user who pastes the file). The result is a fresh slice, safe to hand
// to pem.Decode.
func normalise(text string) []byte {
	b := []byte(text)
	if bytes.IndexByte(b, '\r') >= 0 {
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	}
	return bytes.TrimSpace(bytes.TrimPrefix(b, utf8BOM))
}

// splitPEM decodes the PEM blocks of data (already normalised). blocks holds
// every block pem.Decode can find, even past a defect, so that callers may
// look at all of them (an encrypted key after some junk is still an encrypted
// key). defect describes the first departure from "PEM blocks separated by
// whitespace and nothing else", or is "" when there is none; text without
// any PEM armour at all is no blocks and no defect.
//
// Strictness matters because pem.Decode is lenient: it skips any text before
// a block and silently passes over blocks it cannot decode.
func splitPEM(data []byte) (blocks []*pem.Block, defect string) {
	setDefect := func(d string) {
		if defect == "" {
			defect = d
		}
	}
	rest := data
	for {
		rest = bytes.TrimLeft(rest, " \t\n\r")
		if len(rest) == 0 {
			return blocks, defect
		}
		b, next := pem.Decode(rest)
		if b == nil {
			switch {
			case bytes.Contains(rest, pemBegin):
				setDefect(undecodable(len(blocks) + 1))
			case len(blocks) > 0:
				setDefect("has text outside a PEM block " + where(len(blocks)))
			}
			return blocks, defect
		}
		// pem.Decode returns the first block it can decode: if that is not
		// the one starting rest, it skipped text or a broken block.
		consumed := rest[:len(rest)-len(next)]
		switch {
		case !bytes.HasPrefix(consumed, pemBegin):
			setDefect("has text outside a PEM block " + where(len(blocks)))
		case bytes.Count(consumed, pemBegin) > 1:
			setDefect(undecodable(len(blocks) + 1))
		}
		blocks = append(blocks, b)
		rest = next
	}
}

func undecodable(n int) string {
	return fmt.Sprintf("has a PEM block that cannot be decoded (block %d: no END line, or bad base64)", n)
}

// where says where stray text sits, given how many blocks precede it.
func where(n int) string {
	if n == 0 {
		return "(before the first block)"
	}
	return fmt.Sprintf("(after block %d)", n)
}

// blockType quotes a PEM block type for a message, cut short: it is
// user-supplied text and only there to help recognise a pasting mistake.
func blockType(t string) string {
	const limit = 40
	if len(t) > limit {
		t = t[:limit] + "..."
	}
	return fmt.Sprintf("%q", t)
}

// keyPEMText returns the normalised key text as stored: trimmed, "\n" line
// endings, one trailing newline.
func keyPEMText(data []byte) string {
	var sb strings.Builder
	sb.Grow(len(data) + 1)
	sb.Write(data)
	sb.WriteByte('\n')
	return sb.String()
}
