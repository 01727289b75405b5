package server_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"slbcert/internal/e2e"
	"slbcert/rpc"
)

// The hostile sweep: every action of every product, each of its parameters
// replaced in turn by a hostile value, through the Go SDK's CommonRequest.
// Whatever the input, an answer is never 5xx, an error always has a Code and
// a Message, and a success body has no null and the JSON types the SDK's
// response struct declares. SLBCERT_HOSTILE=full widens the values (1 MB,
// more numbers and encodings); the default set keeps the test fast.

// hostileValues replace one parameter at a time.
func hostileValues() []string {
	v := []string{"", " ", "-1", "9223372036854775808", "1.5", "x中文", "[{", strings.Repeat("a", 4096), "a\x00b", "0"}
	if os.Getenv("SLBCERT_HOSTILE") == "full" {
		v = append(v, "\t\n", "abc", "null", "true", "1e3", "+1", "0x1F", "2147483648",
			"-9223372036854775809", "18446744073709551616", "NaN", "<Error/>", "' OR '1'='1",
			"%00", "../../etc/passwd", "[]", "{}", "[{}]", `[{"ServerId":null}]`, `[{"ServerId":1}]`,
			`{"Version":"1"}`, "lb-"+strings.Repeat("z", 22), "rsp-doesnotexist", "10000001",
			strings.Repeat("é", 70000), strings.Repeat("b", 1<<20-16<<10))
	}
	return v
}

// hostileFinding is one broken promise.
type hostileFinding struct{ action, param, value, what string }

// sdkDeclaresOtherwise lists where a success body knowingly differs from
// the SDK's struct: the SDK v1 decodes leniently, and Alibaba's own
// examples answer a number there (SetBackendServers' JSON example has
// "Weight":0; the SDK's shared BackendServer struct says string).
var sdkDeclaresOtherwise = map[string]bool{
	"AddBackendServers.BackendServers.BackendServer[].Weight":    true,
	"SetBackendServers.BackendServers.BackendServer[].Weight":    true,
	"RemoveBackendServers.BackendServers.BackendServer[].Weight": true,
}

// check judges one answer: the status, an error's Code and Message, a
// success body's JSON types.
func (e *hostileEnv) check(action string, status int, body []byte, err error, respType reflect.Type) string {
	switch {
	case status == 0:
		return fmt.Sprintf("no answer: %v", err)
	case status >= 500:
		return fmt.Sprintf("status %d: %s", status, body)
	case err != nil:
		var se *sdkerrors.ServerError
		if errors.As(err, &se) && (se.ErrorCode() == "" || se.Message() == "") {
			return fmt.Sprintf("status %d without Code or Message: %v", status, err)
		}
		return ""
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Sprintf("success body is not JSON: %v", err)
	}
	var errs []string
	for _, msg := range shapeErrors(action, v, respType) {
		path, _, _ := strings.Cut(msg, " ")
		if !sdkDeclaresOtherwise[indexes.ReplaceAllString(path, "[]")] {
			errs = append(errs, msg)
		}
	}
	sort.Strings(errs)
	return strings.Join(errs, "; ")
}

var indexes = regexp.MustCompile(`\[\d+\]`)

// ignoredParams are sent by the SDK's request structs but read by no
// action (owner fields of Alibaba's internal accounts): hostile values
// there prove nothing more than once.
var ignoredParams = map[string]bool{"OwnerId": true, "OwnerAccount": true, "ResourceOwnerId": true,
	"ResourceOwnerAccount": true, "access_key_id": true}

// paramsOf lists the parameters worth mutating for an action: those of
// the baseline and those of the SDK's request struct.
func paramsOf(base map[string]string, req reflect.Type) []string {
	params := map[string]bool{}
	for k := range base {
		params[k] = true
	}
	if req != nil {
		for _, k := range requestParams(req) {
			if !ignoredParams[k] {
				params[k] = true
			}
		}
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// consumes reports whether an action's success uses up the fixture.
func consumes(action string) bool {
	for _, p := range []string{"Delete", "Remove"} {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	switch action {
	case "StartInstance", "StopInstance", "JoinSecurityGroup", "LeaveSecurityGroup": // ECS: the state they need is gone
		return true
	}
	return false
}

// TestHostileInput sweeps every action of every product: each parameter
// missing and replaced by hostile values (all of them with
// SLBCERT_HOSTILE=full, else two in rotation), then the valid call as GET,
// in XML and signed V3. Never 5xx; errors carry Code and Message; success
// bodies have no null and the SDK's JSON types; the log holds no panic, no
// failed request and no secret.
func TestHostileInput(t *testing.T) {
	e := newHostileEnv(t)
	shapes := sdkShapes()
	names := rpc.ActionNames(e.s.API().Products...)
	values := hostileValues()
	full := os.Getenv("SLBCERT_HOSTILE") == "full"
	var (
		mu       sync.Mutex
		findings []hostileFinding
		seen     = map[string]bool{}
		requests atomic.Int64
	)
	report := func(f hostileFinding) {
		mu.Lock()
		defer mu.Unlock()
		key := f.action + "|" + f.param + "|" + abbreviate(f.what)
		if strings.Contains(f.what, "the SDK declares") || strings.Contains(f.what, "null") {
			key = f.action + "|" + f.what // a shape is the action's, whatever the input
		}
		if !seen[key] {
			seen[key] = true
			findings = append(findings, f)
		}
	}
	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := e.worker()
			fixture := w.fixture()
			for i := range jobs {
				version, action, _ := strings.Cut(names[i], "/")
				product, shape := productOf(version), shapes[names[i]]
				if consumes(action) {
					fixture = w.fixture()
				}
				send := func(p map[string]string, param, value string) error {
					status, body, err := w.call(product, version, action, p, len(value) > 1000)
					requests.Add(1)
					if what := w.check(action, status, body, err, shape[1]); what != "" {
						report(hostileFinding{names[i], param, abbreviate(value), what})
					}
					if err == nil && consumes(action) {
						fixture = w.fixture()
					}
					return err
				}
				if err := send(w.baseline(version, action, fixture), "", ""); err != nil && !refusedActions[names[i]] {
					report(hostileFinding{names[i], "", "", "the valid call fails: " + firstLine(err.Error(), "Message:")})
				}
				w.variants(names[i], product, fixture, report)
				requests.Add(3)
				if consumes(action) {
					fixture = w.fixture()
				}
				for j, k := range paramsOf(w.baseline(version, action, fixture), shape[0]) {
					vs := values
					if !full {
						vs = []string{values[(i+j)%len(values)]}
					}
					for _, v := range append(vs, "\x00missing") {
						p := w.baseline(version, action, fixture)
						if v == "\x00missing" {
							delete(p, k)
						} else {
							p[k] = v
						}
						send(p, k, v)
					}
				}
			}
		}()
	}
	for i := range names {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d requests over %d actions in %v", requests.Load(), len(names), time.Since(start))
	sort.Slice(findings, func(i, j int) bool {
		return findings[i].action+findings[i].param < findings[j].action+findings[j].param
	})
	for _, f := range findings {
		t.Errorf("%s %s=%q: %s", f.action, f.param, f.value, abbreviate(f.what))
	}
	log := e.s.Log.String()
	for _, bad := range append([]string{"panic", "request failed", "s-root", "s-ci"}, keyBody(e.pem.KeyPEM)...) {
		if strings.Contains(log, bad) {
			t.Errorf("the log holds %q", abbreviate(bad))
		}
	}
}

// variants sends an action's valid call as GET, with Format=XML and signed
// V3 (darabonba), and checks each answer: a success, or an error with a
// Code; XML that parses, rooted at <{Action}Response> or <Error>.
func (e *hostileEnv) variants(name, product string, f map[string]string, report func(hostileFinding)) {
	version, action, _ := strings.Cut(name, "/")
	base := e.baseline(version, action, f)
	// GET: the parameters in the query, as the CLI sends them.
	q := url.Values{"Action": {action}}
	for k, v := range base {
		q.Set(k, v)
	}
	id, secret := "AKS-root", "s-root"
	if product == "Sts" {
		id, secret = "AKS-ci", "s-ci"
	}
	send := func(method string) (int, string) {
		resp, err := e.s.SendV1(method, version, q, nil, id, secret)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := send("GET"); status >= 500 || !json.Valid([]byte(body)) {
		report(hostileFinding{name, "GET", "", fmt.Sprintf("status %d: %s", status, abbreviate(body))})
	}
	q.Set("Format", "XML")
	status, body := send("POST")
	var root struct{ XMLName xml.Name }
	if err := xml.Unmarshal([]byte(body), &root); status >= 500 || err != nil ||
		(root.XMLName.Local != action+"Response" && root.XMLName.Local != "Error") {
		report(hostileFinding{name, "Format", "XML", fmt.Sprintf("status %d, root %q (%v): %s", status, root.XMLName.Local, err, abbreviate(body))})
	}
	if strings.Contains(body, "<nil>") || strings.Contains(body, "null") {
		report(hostileFinding{name, "Format", "XML", "XML holds nil/null: " + abbreviate(body)})
	}
	// V3, as darabonba and Terraform sign.
	c, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret),
		Endpoint: dara.String(e.s.Addr()), Protocol: dara.String("http"), RegionId: dara.String("cn-hangzhou")})
	if err != nil {
		e.t.Fatal(err)
	}
	body3 := map[string]any{}
	for k, v := range base {
		body3[k] = v
	}
	_, err = c.CallApi(e2e.OpenAPIParams(version, action, "POST"), &openapiutil.OpenApiRequest{Body: body3}, &dara.RuntimeOptions{})
	var se *tea.SDKError
	if err != nil && (!errors.As(err, &se) || dara.IntValue(se.StatusCode) >= 500 || dara.StringValue(se.Code) == "") {
		report(hostileFinding{name, "V3", "", fmt.Sprintf("%v", err)})
	}
}

func abbreviate(s string) string {
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "") + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}

// firstLine returns the first line of s that starts with prefix (the SDK's
// error text has one line per field), or s.
func firstLine(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return strings.TrimSpace(l)
		}
	}
	return s
}
