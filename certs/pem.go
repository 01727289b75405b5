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

// blankLine finds the first empty or whitespace-only line of text (a
// certificate parameter as sent) that stands between or inside its PEM
// blocks, and describes it for a message: "has an empty line at line 29,
// between certificate 1 and certificate 2; ...". It returns "" when there is
// none. Blank lines before the first block and after the last one are
// surrounding whitespace, and allowed.
//
// Alibaba Cloud's certificate format rules forbid blank lines between the
// certificates of a chain, and tools that upload to it strip them; the
// engine refuses them so that what passes here passes there.
//
// Line numbers are 1-based, counted in text as sent ("\r\n" and "\n" both end
// a line), so that they match what the user's editor shows; a CRLF blank line
// is an empty line. Blocks are counted by their BEGIN lines: it is meant for
// text splitPEM has already found to be well-formed blocks and whitespace.
func blankLine(text string) string {
	text = strings.TrimPrefix(text, "\ufeff")
	var (
		lineNo, blocks     int
		inside, started    bool
		blank, blankBlocks int // the first blank line since the last non-blank one (0: none)
		blankInside        bool
		blankEmpty         bool
	)
	for rest, more := text, true; more; {
		var line string
		line, rest, more = strings.Cut(rest, "\n")
		lineNo++
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			if started && blank == 0 {
				blank, blankBlocks, blankInside = lineNo, blocks, inside
				blankEmpty = strings.TrimSuffix(line, "\r") == ""
			}
			continue
		}
		if blank != 0 {
			return blankLineDefect(blank, blankBlocks, blankInside, blankEmpty) // a blank line with text after it
		}
		started = true
		switch {
		case strings.HasPrefix(trimmed, "-----BEGIN "):
			blocks, inside = blocks+1, true
		case strings.HasPrefix(trimmed, "-----END "):
			inside = false
		}
	}
	return "" // blank lines at the end are trailing whitespace
}

// blankLineDefect words blankLine's finding: the line's number, how many
// blocks began before it, whether it is inside one, whether it is empty
// (else whitespace).
func blankLineDefect(line, blocks int, inside, empty bool) string {
	what := "an empty line"
	if !empty {
		what = "a whitespace-only line"
	}
	if inside {
		return fmt.Sprintf("has %s at line %d, inside certificate %d; a PEM block must not contain blank lines.", what, line, blocks)
	}
	return fmt.Sprintf("has %s at line %d, between certificate %d and certificate %d; PEM blocks must follow each other without blank lines.", what, line, blocks, blocks+1)
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
