package console

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"slbcert/rpc"
)

// CallsPerAccount is how many calls CallLog keeps per account, of the API
// and of the console each, so that browsing the console never pushes an
// account's API calls out.
const CallsPerAccount = 100

// CallLog keeps each account's recent calls for the console's "Recent API
// calls" page: a bounded ring per account, fed by the gateway
// (rpc.Server.Calls) with what the request log has — never a parameter, a
// secret or a token. It is in memory, per process: a replica shows the
// calls it answered. Only authenticated calls have an account, so the
// number of rings is bounded by the IAM directory.
type CallLog struct {
	accounts sync.Map // account id → *accountCalls
}

// NewCallLog returns an empty log.
func NewCallLog() *CallLog { return &CallLog{} }

type accountCalls struct {
	mu      sync.Mutex
	api     ring
	console ring
}

type ring struct {
	buf  [CallsPerAccount]rpc.CallRecord
	next int
	n    int
}

func (r *ring) add(c rpc.CallRecord) {
	r.buf[r.next] = c
	r.next = (r.next + 1) % len(r.buf)
	if r.n < len(r.buf) {
		r.n++
	}
}

// newest returns the ring's records, newest first.
func (r *ring) newest() []rpc.CallRecord {
	out := make([]rpc.CallRecord, 0, r.n)
	for i := 1; i <= r.n; i++ {
		out = append(out, r.buf[(r.next-i+len(r.buf))%len(r.buf)])
	}
	return out
}

// RecordCall implements rpc.CallRecorder: a map lookup and a copy under
// the account's own lock.
func (l *CallLog) RecordCall(c rpc.CallRecord) {
	v, ok := l.accounts.Load(c.AccountID)
	if !ok {
		v, _ = l.accounts.LoadOrStore(c.AccountID, &accountCalls{})
	}
	a := v.(*accountCalls)
	a.mu.Lock()
	if c.Via == "" {
		a.api.add(c)
	} else {
		a.console.add(c)
	}
	a.mu.Unlock()
}

// Recent returns the account's recent API calls and console calls, each
// newest first.
func (l *CallLog) Recent(accountID string) (api, console []rpc.CallRecord) {
	v, ok := l.accounts.Load(accountID)
	if !ok {
		return nil, nil
	}
	a := v.(*accountCalls)
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.api.newest(), a.console.newest()
}

// callView is one recent call, as the calls page lists it.
type callView struct {
	When                   time.Time
	Action, Version, Code  string
	Status                 string
	Principal, AccessKeyID string
	RequestID, Via         string
	Duration               time.Duration
}

type callsData struct {
	*page
	API, Console []callView
	// Own is true when the principal sees only its own calls (a RAM user
	// or a role session: docs/choices.md, "Console").
	Own bool
}

// recentCalls lists the account's recent calls: the API's and the
// console's apart. The account's root sees every principal's; a RAM user
// or a session sees its own.
func (c *Console) recentCalls(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title, p.Nav = "Recent API calls", "calls"
	p.chooseRegion()
	p.Flash = p.s.takeFlash()
	d := &callsData{page: p, Own: !p.principal.IsRoot()}
	if c.calls != nil {
		api, con := c.calls.Recent(p.s.accountID)
		d.API, d.Console = views(api, d.Own, p.s.principal), views(con, d.Own, p.s.principal)
	}
	p.show(http.StatusOK, "calls", d)
}

func views(records []rpc.CallRecord, own bool, principal string) []callView {
	var out []callView
	for _, r := range records {
		if own && r.Principal != principal {
			continue
		}
		out = append(out, callView{When: r.Time, Action: r.Action, Version: r.Version, Code: r.Code, Status: strconv.Itoa(r.Status),
			Principal: r.Principal, AccessKeyID: r.AccessKeyID, RequestID: r.RequestID, Via: r.Via, Duration: r.Duration})
	}
	return out
}
