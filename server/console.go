package server

import (
	"net/http"
	"time"

	"slbcert/console"
	"slbcert/slb/slbdataplane"
)

// openConsole serves the web console at /console/ on the API's address
// (docs/choices.md, "Console"): its calls go through the gateway's own
// dispatch, and the gateway records every call for its "Recent API calls".
func (m *Main) openConsole(now func() time.Time) {
	calls := console.NewCallLog()
	m.api.Calls = calls
	opts := console.Options{Calls: calls, Log: m.Log, Now: now}
	if m.dataPlane != nil {
		opts.DataPlane = consoleDataPlane{m.dataPlane}
	}
	m.api.Mounts = map[string]http.Handler{"/console/": console.New(m.api, opts).Handler()}
}

// consoleDataPlane shows the console how this process's data plane
// serves a listener.
type consoleDataPlane struct{ d *dataPlane }

// Listener implements console.DataPlane.
func (c consoleDataPlane) Listener(lbID, protocol string, port int) (console.ListenerState, bool) {
	st, ok := c.d.rt.Status(slbdataplane.ListenerID(lbID, protocol, port))
	if !ok {
		return console.ListenerState{}, false
	}
	return console.ListenerState{Addr: st.Addr, Serving: st.Serving, Err: st.Err, Warning: st.Warning}, true
}
