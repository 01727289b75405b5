package dataplane

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sticky session types (StickySessionType).
const (
	// StickyInsert: the data plane sets the cookie StickyCookie naming the
	// backend on the response that assigned it, for CookieTimeout.
	StickyInsert = "insert"
	// StickyServer: the backend sets its own session cookie (Cookie); the
	// data plane prefixes its value with the backend's token and a "~" on
	// the way out and removes the prefix on the way in, so the backend
	// sees its own value and the client returns to it.
	StickyServer = "server"
)

// StickyCookie is the cookie of insert sticky sessions, Alibaba's name.
const StickyCookie = "SERVERID"

const stickySeparator = "~"

// insertCookie is the Set-Cookie value that pins a client to token's
// backend.
func insertCookie(token string, maxAge time.Duration) string {
	c := StickyCookie + "=" + token + "; Path=/"
	if s := int(maxAge / time.Second); s > 0 {
		c += "; Max-Age=" + strconv.Itoa(s)
	}
	return c
}

// markServerCookie prefixes the value of the backend's cookie name in its
// Set-Cookie headers with token.
func markServerCookie(h http.Header, name, token string) {
	lines := h["Set-Cookie"]
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, name+"=") {
			lines[i] = name + "=" + token + stickySeparator + trimmed[len(name)+1:]
		}
	}
}

// unmarkServerCookie removes the prefix markServerCookie added from the
// request's Cookie headers, so that the backend reads its own value.
func unmarkServerCookie(h http.Header, name, token string) {
	lines := h["Cookie"]
	for i, line := range lines {
		parts := strings.Split(line, ";")
		changed := false
		for j, p := range parts {
			t := strings.TrimLeft(p, " ")
			if v, ok := strings.CutPrefix(t, name+"="); ok {
				if rest, ok := strings.CutPrefix(v, token+stickySeparator); ok {
					parts[j] = p[:len(p)-len(t)] + name + "=" + rest
					changed = true
				}
			}
		}
		if changed {
			lines[i] = strings.Join(parts, ";")
		}
	}
}
