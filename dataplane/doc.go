// Package dataplane is slbcert's data plane: it makes the load balancers'
// listeners real. A running HTTPS listener is a TLS server on its load
// balancer's address that presents the uploaded certificate (or a domain
// extension's, by SNI), under the listener's TLS cipher policy, and
// forwards to its backends through net/http/httputil.ReverseProxy; an HTTP
// listener forwards, or redirects to HTTPS.
//
// The package knows nothing of the API. Its input is a Config, data that
// says which listeners should run and how (docs/choices.md, "Data plane
// (listeners that serve)"); a Runtime
// reconciles running servers with each Config it is given (Apply), and
// Watch feeds it from a Source: a snapshot of the store's state and a
// signal after each change, from this process or, through PostgreSQL
// LISTEN, from other replicas. Package dataplane/source is that Source
// over the load-balancer store; the server wires the two and lets the API
// wait for a change to be served (Sync). The Runtime swaps certificates for new
// handshakes through GetConfigForClient without touching connections
// already open, drains the requests of listeners it closes, and reports
// each listener's status and each backend's health (Runtime.Status,
// Runtime.BackendHealth) for DescribeHealthStatus, with Prometheus metrics
// on the registerer it is given.
package dataplane
