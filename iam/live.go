package iam

import (
	"sync/atomic"

	"slbcert"
)

// Live is a directory that can be replaced while requests are served: each
// lookup sees one whole directory, the old or the new, never a mix.
type Live struct {
	cur atomic.Pointer[Directory]
}

// NewLive returns a live directory serving d.
func NewLive(d *Directory) *Live {
	l := &Live{}
	l.cur.Store(d)
	return l
}

// AccessKey looks id up in the current directory.
func (l *Live) AccessKey(id string) (*AccessKey, bool) { return l.cur.Load().AccessKey(id) }

// Replace makes d the current directory.
func (l *Live) Replace(d *Directory) { l.cur.Store(d) }

// Account looks id up in the current directory.
func (l *Live) Account(id string) (*slbcert.Account, bool) { return l.cur.Load().Account(id) }

// Role looks the role up in the current directory: a session reads its
// role's policies here on every request, so edits apply at once.
func (l *Live) Role(accountID, name string) (*Role, bool) { return l.cur.Load().Role(accountID, name) }
