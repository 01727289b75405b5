package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"slbcert"
	"slbcert/rpc"
)

// The API versions the console calls, as an SDK names them: the console
// is a client of the products, not a part of them.
const (
	slbVersion       = "2014-05-15"
	casVersion       = "2020-04-07"
	casRenameVersion = "2018-08-13"
	vpcVersion       = "2016-04-28"
	ecsVersion       = "2014-05-26"
)

// defaultRegion is the region a session starts in when the API lists it.
const defaultRegion = "cn-hangzhou"

// apiError is an API answer's refusal, shown as the API gave it.
type apiError struct {
	Action, Code, Message, RequestID string
	Status                           int
}

// toAPIError reads err as the API's error (a foreign error is
// InternalError, its cause hidden as the gateway hides it).
func toAPIError(action, requestID string, err error) *apiError {
	var e *slbcert.Error
	if !errors.As(err, &e) {
		e = slbcert.Errorf(slbcert.EInternal, "The request processing has failed due to some unknown error, exception or failure.")
	}
	return &apiError{Action: action, Code: e.Code, Message: e.Message, RequestID: requestID, Status: rpc.Status(e.Code)}
}

// notServed reports whether the endpoint does not serve an action (a
// product or an action not built in): the page leaves its part out.
func (e *apiError) notServed() bool {
	return e.Code == slbcert.EInvalidVersion || e.Code == slbcert.EInvalidActionNotFound
}

// sessionView is who is signed in, for the page header.
type sessionView struct {
	Principal, AccountID, AccessKeyID string
	CSRF                              string
	Temporary                         bool
}

// regionView is one region of DescribeRegions.
type regionView struct {
	RegionID  string `json:"RegionId"`
	LocalName string `json:"LocalName"`
}

// basePage is what every page's template sees: who, where, what failed.
type basePage struct {
	Title   string
	Nav     string
	Message string
	Session sessionView
	Region  string
	Regions []regionView
	// Errors are the reads of the page the API refused.
	Errors    []*apiError
	Flash     *flash
	Now       time.Time
	AssetHash string
	SignedIn  bool
}

// URL is path with the page's region, for links that keep it.
func (b *basePage) URL(path string) string {
	if b.Region == "" {
		return path
	}
	return path + "?region=" + url.QueryEscape(b.Region)
}

// page is one request of a signed-in session: its calls and what the
// template will show.
type page struct {
	basePage
	c         *Console
	w         http.ResponseWriter
	r         *http.Request
	s         *session
	principal *slbcert.Principal
}

// call invokes one API action as the session's principal and decodes its
// answer into out, by the JSON names an SDK reads.
func (p *page) call(version, action string, params url.Values, out any) *apiError {
	res := p.c.gateway.Invoke(p.r.Context(), invocation(p, version, action, params))
	if res.Err != nil {
		return &apiError{Action: action, Code: res.Err.Code, Message: res.Err.Message, RequestID: res.RequestID, Status: res.Status}
	}
	if out == nil {
		return nil
	}
	b, err := json.Marshal(res.Value)
	if err == nil {
		err = json.Unmarshal(b, out)
	}
	if err != nil {
		p.c.log.Error("console: reading an answer", "action", action, "request_id", res.RequestID, "err", err)
		return toAPIError(action, res.RequestID, err)
	}
	return nil
}

// invocation is one call of the page's session, tagged as the console's.
func invocation(p *page, version, action string, params url.Values) rpc.Invocation {
	return rpc.Invocation{Credential: p.s.cred, Request: p.r, Version: version, Action: action, Params: params, Via: "console"}
}

// read is call for what a page shows: a refusal joins the page's errors,
// except that an action the endpoint does not serve leaves its part out.
func (p *page) read(version, action string, params url.Values, out any) bool {
	if e := p.call(version, action, params, out); e != nil {
		if !e.notServed() {
			p.Errors = append(p.Errors, e)
		}
		return false
	}
	return true
}

// regionParams starts an action's parameters with the page's region.
func (p *page) regionParams(kv ...string) url.Values {
	v := url.Values{"RegionId": {p.Region}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// chooseRegion reads the regions the API lists and picks the page's: the
// one asked for (?region=, or a form's region), else the session's last,
// else defaultRegion, else the first listed.
func (p *page) chooseRegion() {
	var out struct {
		Regions struct {
			Region []regionView `json:"Region"`
		} `json:"Regions"`
	}
	if p.read(slbVersion, "DescribeRegions", url.Values{"AcceptLanguage": {"en-US"}}, &out) {
		p.Regions = out.Regions.Region
	}
	known := func(id string) bool {
		return id != "" && (p.Regions == nil || slices.ContainsFunc(p.Regions, func(r regionView) bool { return r.RegionID == id }))
	}
	p.s.mu.Lock()
	last := p.s.region
	p.s.mu.Unlock()
	switch asked := p.r.FormValue("region"); {
	case known(asked):
		p.Region = asked
	case known(last):
		p.Region = last
	case known(defaultRegion):
		p.Region = defaultRegion
	case len(p.Regions) > 0:
		p.Region = p.Regions[0].RegionID
	default:
		p.Region = defaultRegion
	}
	p.s.mu.Lock()
	p.s.region = p.Region
	p.s.mu.Unlock()
}

// begin prepares a page: its region, the flash of the last action.
func (p *page) begin(title, nav string) {
	p.Title, p.Nav = title, nav
	p.chooseRegion()
	p.Flash = p.s.takeFlash()
}

// redirect ends an action: its outcome goes to the session's flash and
// the browser to target (with the page's region).
func (p *page) redirect(target string, f *flash) {
	if f != nil {
		p.s.setFlash(f)
	}
	http.Redirect(p.w, p.r, p.URL(target), http.StatusSeeOther)
}

// show renders a page's template with data, which embeds the page.
func (p *page) show(status int, name string, data any) {
	p.c.render(p.w, p.r, status, name, data)
}
