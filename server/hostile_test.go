package server

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"github.com/google/uuid"

	"slbcert/internal/testpki"
	"slbcert/rpc"
	"slbcert/sign"
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

// hostileEnv is a server with one of everything, the SDK clients, and the
// parameter values that make each action valid.
type hostileEnv struct {
	t    *testing.T
	s    *testServer
	slb  *slb.Client
	cas  *cas.Client
	sts  *sdksts.Client
	seq  *atomic.Int64
	pem  *testpki.Server
	ca   string // a CA certificate PEM
	base map[string]string
}

// hostileIAM is stsIAM with quotas no sweep reaches: the sweep acts as
// account A's root.
var hostileIAM = strings.Replace(stsIAM, `"id": "`+stsAccountA+`",`, `"id": "`+stsAccountA+`",
  "quotas": {"serverCertificatesPerRegion": 100000, "caCertificatesPerRegion": 100000, "catalogCertificates": 100000,
   "loadBalancersPerRegion": 100000, "listenersPerLoadBalancer": 100000, "domainExtensionsPerListener": 100000},`, 1)

func newHostileEnv(t *testing.T, edit ...func(*Config)) *hostileEnv {
	path := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(path, []byte(hostileIAM), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, append([]func(*Config){func(c *Config) { c.IAMFile = path }}, edit...)...)
	e := &hostileEnv{t: t, s: s, seq: new(atomic.Int64), slb: s.client(t, "cn-hangzhou", "AKS-root", "s-root"), cas: s.casClient(t, "AKS-root", "s-root"), sts: s.stsClient(t, "AKS-ci", "s-ci", "")}
	e.pem = newTestServerCert()
	e.ca = testpki.ChainPEM(e.pem.Intermediate)
	return e
}

// call sends one CommonRequest and returns the status, body and any error.
func (e *hostileEnv) call(product, version, action string, params map[string]string, form bool) (int, []byte, error) {
	req := requests.NewCommonRequest()
	req.Scheme, req.Domain, req.Method = "http", e.s.Addr(), "POST"
	req.Product, req.Version, req.ApiName = product, version, action
	for k, v := range params {
		if form {
			req.FormParams[k] = v
		} else {
			req.QueryParams[k] = v
		}
	}
	var (
		resp interface {
			GetHttpStatus() int
			GetHttpContentBytes() []byte
		}
		err error
	)
	switch product {
	case "Sts":
		resp, err = e.sts.ProcessCommonRequest(req)
	case "Cas":
		resp, err = e.cas.ProcessCommonRequest(req)
	default:
		resp, err = e.slb.ProcessCommonRequest(req)
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return se.HttpStatus(), []byte(se.Message()), err
	}
	if err != nil {
		return 0, nil, err
	}
	return resp.GetHttpStatus(), resp.GetHttpContentBytes(), nil
}

// must calls and fails the test unless the action succeeds.
func (e *hostileEnv) must(action string, params map[string]string) map[string]any {
	e.t.Helper()
	_, body, err := e.call("Slb", "2014-05-15", action, params, false)
	if err != nil {
		e.t.Fatalf("%s %v: %v", action, params, err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return out
}

func (e *hostileEnv) name(prefix string) string { return fmt.Sprintf("%s%d", prefix, e.seq.Add(1)) }

// fixture creates one of everything and returns the parameters that name
// them: a load balancer with an HTTPS listener on 443 (server and CA
// certificate), an HTTP listener on 80, a VServer group, a domain
// extension, a TLS policy, a catalog entry.
func (e *hostileEnv) fixture() map[string]string {
	e.t.Helper()
	sc := e.must("UploadServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificate": e.pem.ChainPEM, "PrivateKey": e.pem.KeyPEM})["ServerCertificateId"].(string)
	ca := e.must("UploadCACertificate", map[string]string{"RegionId": "cn-hangzhou", "CACertificate": e.ca})["CACertificateId"].(string)
	lb := e.must("CreateLoadBalancer", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerSpec": "slb.s2.small"})["LoadBalancerId"].(string)
	vsg := e.must("CreateVServerGroup", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "VServerGroupName": "g",
		"BackendServers": `[{"ServerId":"i-a","Port":80,"Weight":100}]`})["VServerGroupId"].(string)
	e.must("CreateLoadBalancerHTTPSListener", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443",
		"BackendServerPort": "80", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off",
		"ServerCertificateId": sc, "CACertificateId": ca})
	e.must("CreateLoadBalancerHTTPListener", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "80",
		"BackendServerPort": "80", "Bandwidth": "-1", "StickySession": "off", "HealthCheck": "off"})
	de := e.must("CreateDomainExtension", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443",
		"Domain": "www.example.com", "ServerCertificateId": sc})["DomainExtensionId"].(string)
	e.must("AddBackendServers", map[string]string{"LoadBalancerId": lb, "BackendServers": `[{"ServerId":"i-a","Weight":100}]`})
	freeSC := e.must("UploadServerCertificate", map[string]string{"RegionId": "cn-hangzhou", "ServerCertificate": e.pem.ChainPEM, "PrivateKey": e.pem.KeyPEM})["ServerCertificateId"].(string)
	freeCA := e.must("UploadCACertificate", map[string]string{"RegionId": "cn-hangzhou", "CACertificate": e.ca})["CACertificateId"].(string)
	tls := e.must("CreateTLSCipherPolicy", map[string]string{"RegionId": "cn-hangzhou", "Name": e.name("p"),
		"TLSVersions.1": "TLSv1.2", "Ciphers.1": "ECDHE-RSA-AES128-GCM-SHA256"})["TLSCipherPolicyId"].(string)
	_, body, err := e.call("Cas", "2020-04-07", "UploadUserCertificate", map[string]string{"Name": e.name("c"), "Cert": e.pem.ChainPEM, "Key": e.pem.KeyPEM}, false)
	if err != nil {
		e.t.Fatal(err)
	}
	var up struct{ CertId int64 }
	json.Unmarshal(body, &up)
	return map[string]string{
		"RegionId": "cn-hangzhou", "LoadBalancerId": lb, "ListenerPort": "443", "ListenerProtocol": "https",
		"ServerCertificateId": sc, "CACertificateId": ca, "VServerGroupId": vsg, "DomainExtensionId": de,
		"TLSCipherPolicyId": tls, "CertId": fmt.Sprint(up.CertId), "BackendServerPort": "80", "Bandwidth": "-1",
		"StickySession": "off", "HealthCheck": "off", "freeServerCertificateId": freeSC, "freeCACertificateId": freeCA,
	}
}

// baseline returns valid parameters for action over fixture f.
func (e *hostileEnv) baseline(version, action string, f map[string]string) map[string]string {
	p := map[string]string{}
	for k, v := range f {
		if !strings.HasPrefix(k, "free") {
			p[k] = v
		}
	}
	backends := `[{"ServerId":"i-b","Port":81,"Weight":50}]`
	set := func(kv ...string) {
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
	}
	switch action {
	case "UploadServerCertificate":
		set("ServerCertificate", e.pem.ChainPEM, "PrivateKey", e.pem.KeyPEM, "ServerCertificateName", "n")
	case "UploadCACertificate":
		set("CACertificate", e.ca, "CACertificateName", "n")
	case "SetServerCertificateName":
		set("ServerCertificateName", "renamed")
	case "SetCACertificateName":
		set("CACertificateName", "renamed")
	case "DeleteServerCertificate":
		set("ServerCertificateId", f["freeServerCertificateId"])
	case "DeleteCACertificate":
		set("CACertificateId", f["freeCACertificateId"])
	case "TagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"], "Tag.1.Key", "k", "Tag.1.Value", "v")
	case "UntagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"], "TagKey.1", "k")
	case "ListTagResources":
		set("ResourceType", "instance", "ResourceId.1", f["LoadBalancerId"])
	case "MoveResourceGroup":
		set("ResourceType", "loadbalancer", "ResourceId", f["LoadBalancerId"], "NewResourceGroupId", "rg-aekzabcdefghijk")
	case "CreateLoadBalancer", "ModifyLoadBalancerInternetSpec", "ModifyLoadBalancerInstanceChargeType":
		delete(p, "Bandwidth")
	}
	switch action {
	case "CreateLoadBalancer":
		set("LoadBalancerSpec", "slb.s2.small", "LoadBalancerName", "lb", "AddressType", "internet")
	case "SetLoadBalancerName":
		set("LoadBalancerName", "renamed")
	case "SetLoadBalancerStatus":
		set("LoadBalancerStatus", "active")
	case "SetLoadBalancerDeleteProtection":
		set("DeleteProtection", "off")
	case "SetLoadBalancerModificationProtection":
		set("ModificationProtectionStatus", "ConsoleProtection", "ModificationProtectionReason", "why")
	case "ModifyLoadBalancerInstanceSpec":
		set("LoadBalancerSpec", "slb.s3.small")
	case "ModifyLoadBalancerInternetSpec":
		set("InternetChargeType", "paybytraffic")
	case "ModifyLoadBalancerInstanceChargeType":
		set("InstanceChargeType", "PayBySpec", "LoadBalancerSpec", "slb.s2.small")
	case "ModifyLoadBalancerPayType":
		set("PayType", "PayOnDemand")
	case "CreateLoadBalancerHTTPSListener":
		set("ListenerPort", "8443")
	case "CreateLoadBalancerHTTPListener":
		set("ListenerPort", "8080")
	case "DescribeLoadBalancerHTTPListenerAttribute", "SetLoadBalancerHTTPListenerAttribute":
		set("ListenerPort", "80")
	case "StartLoadBalancerListener", "StopLoadBalancerListener", "DeleteLoadBalancerListener":
		set("ListenerProtocol", "https")
	case "CreateDomainExtension":
		set("Domain", "api.example.com")
	case "SetDomainExtensionAttribute":
		set("ServerCertificateId", f["ServerCertificateId"])
	case "CreateVServerGroup":
		set("VServerGroupName", "g2", "BackendServers", backends)
	case "AddVServerGroupBackendServers", "AddBackendServers":
		set("BackendServers", backends)
	case "RemoveVServerGroupBackendServers":
		set("BackendServers", `[{"ServerId":"i-a","Port":80}]`)
	case "RemoveBackendServers", "SetBackendServers":
		set("BackendServers", `[{"ServerId":"i-a","Weight":40}]`)
	case "ModifyVServerGroupBackendServers":
		set("OldBackendServers", `[{"ServerId":"i-a","Port":80,"Weight":100}]`, "NewBackendServers", backends)
	case "SetVServerGroupAttribute":
		set("VServerGroupName", "renamed")
	case "CreateTLSCipherPolicy":
		set("Name", e.name("p"), "TLSVersions.1", "TLSv1.2", "Ciphers.1", "ECDHE-RSA-AES128-GCM-SHA256")
	case "SetTLSCipherPolicyAttribute":
		set("Name", e.name("p"), "TLSVersions.1", "TLSv1.2", "Ciphers.1", "ECDHE-RSA-AES256-GCM-SHA384")
	case "UploadUserCertificate":
		set("Name", e.name("c"), "Cert", e.pem.ChainPEM, "Key", e.pem.KeyPEM, "Tags.1.Key", "k", "Tags.1.Value", "v")
	case "ListUserCertificateOrder":
		set("OrderType", "CERT", "CurrentPage", "1", "ShowSize", "10")
	case "CreateCertificateName":
		set("Name", e.name("c"), "CertificateId", f["CertId"])
	case "AssumeRole":
		set("RoleArn", stsRoleArn("CertManager"), "RoleSessionName", "s1", "DurationSeconds", "900")
	}
	return p
}

// productOf names the SDK product of a version.
func productOf(version string) string {
	switch version {
	case "2014-05-15":
		return "Slb"
	case "2015-04-01":
		return "Sts"
	}
	return "Cas"
}

// sdkShapes maps "Version/Action" to the SDK's request and response types
// (where the SDK v1 has a typed method for it).
func sdkShapes() map[string][2]reflect.Type {
	out := map[string][2]reflect.Type{}
	for version, client := range map[string]any{"2014-05-15": &slb.Client{}, "2020-04-07": &cas.Client{}, "2015-04-01": &sdksts.Client{}} {
		v := reflect.ValueOf(client)
		for i := 0; i < v.NumMethod(); i++ {
			m := v.Type().Method(i)
			if m.Type.NumIn() != 2 || m.Type.NumOut() != 2 || !strings.HasSuffix(m.Type.In(1).String(), m.Name+"Request") {
				continue
			}
			out[version+"/"+m.Name] = [2]reflect.Type{m.Type.In(1).Elem(), m.Type.Out(0).Elem()}
		}
	}
	return out
}

// requestParams lists the parameter names an SDK request struct sends,
// repeated ones with index 1 (Tag.1.Key, ResourceId.1).
func requestParams(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("name")
		if name == "" {
			continue
		}
		if f.Tag.Get("type") == "Repeated" {
			elem := f.Type.Elem().Elem() // *[]T
			if elem.Kind() == reflect.Struct {
				for j := 0; j < elem.NumField(); j++ {
					if sub := elem.Field(j).Tag.Get("name"); sub != "" {
						out = append(out, name+".1."+sub)
					}
				}
				continue
			}
			out = append(out, name+".1")
			continue
		}
		out = append(out, name)
	}
	return out
}

// shapeErrors checks a decoded JSON value against the SDK's Go type: no
// null anywhere, numbers where it declares numbers, strings where strings,
// lists and objects where it declares them.
func shapeErrors(path string, v any, t reflect.Type) []string {
	if v == nil {
		return []string{path + " is null"}
	}
	if t == nil {
		switch x := v.(type) {
		case map[string]any:
			var out []string
			for k, vv := range x {
				out = append(out, shapeErrors(path+"."+k, vv, nil)...)
			}
			return out
		case []any:
			var out []string
			for i, vv := range x {
				out = append(out, shapeErrors(fmt.Sprintf("%s[%d]", path, i), vv, nil)...)
			}
			return out
		}
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) []string {
		return []string{fmt.Sprintf("%s = %#v (%T), the SDK declares %s", path, v, v, want)}
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64, reflect.Float32:
		if _, ok := v.(float64); !ok {
			return bad("a number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("a bool")
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad("a list")
		}
		var out []string
		for i, vv := range list {
			out = append(out, shapeErrors(fmt.Sprintf("%s[%d]", path, i), vv, t.Elem())...)
		}
		return out
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n != "" {
				fields[n] = f.Type
			}
		}
		var out []string
		for k, vv := range obj {
			out = append(out, shapeErrors(path+"."+k, vv, fields[k])...)
		}
		return out
	case reflect.Map:
		if _, ok := v.(map[string]any); !ok {
			return bad("an object")
		}
	}
	return nil
}

// rawV1 sends a V1-signed request: query and body as given (the signature
// over both, merged as the server merges them).
func (e *hostileEnv) rawV1(method string, query, body url.Values, id, secret string) (int, string) {
	if query == nil {
		query = url.Values{}
	}
	defaults := map[string]string{"Format": "JSON", "AccessKeyId": id, "SignatureMethod": "HMAC-SHA1",
		"SignatureVersion": "1.0", "SignatureNonce": uuid.NewString(), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z")}
	for k, v := range defaults {
		if query.Get(k) == "" && body.Get(k) == "" {
			query.Set(k, v)
		}
	}
	merged := sign.MergeParams(body, query)
	query.Set("Signature", sign.V1Sign(sign.V1StringToSign(method, merged), secret))
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(body.Encode())
	}
	req, _ := http.NewRequest(method, "http://"+e.s.Addr()+"/?"+query.Encode(), rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// keyBody returns the base64 lines of a PEM private key: what must never
// come back in an answer or reach the log, in any encoding the string to
// sign uses.
func keyBody(pem string) []string {
	var out []string
	for _, l := range strings.Split(pem, "\n") {
		if len(l) > 40 && !strings.HasPrefix(l, "-----") {
			out = append(out, l, url.QueryEscape(l), url.QueryEscape(url.QueryEscape(l)))
		}
	}
	return out
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

// worker is one goroutine's share of the sweep: its own SDK clients (a
// client is not safe for concurrent use) and its own fixture.
func (e *hostileEnv) worker() *hostileEnv {
	return &hostileEnv{t: e.t, s: e.s, pem: e.pem, ca: e.ca, seq: e.seq,
		slb: e.s.client(e.t, "cn-hangzhou", "AKS-root", "s-root"), cas: e.s.casClient(e.t, "AKS-root", "s-root"),
		sts: e.s.stsClient(e.t, "AKS-ci", "s-ci", "")}
}

// consumes reports whether an action's success uses up the fixture.
func consumes(action string) bool {
	for _, p := range []string{"Delete", "Remove"} {
		if strings.HasPrefix(action, p) {
			return true
		}
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
	names := rpc.ActionNames(e.s.api.Products...)
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
				if err := send(w.baseline(version, action, fixture), "", ""); err != nil {
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
	log := e.s.log.String()
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
	q := url.Values{"Version": {version}, "Action": {action}}
	for k, v := range base {
		q.Set(k, v)
	}
	id, secret := "AKS-root", "s-root"
	if product == "Sts" {
		id, secret = "AKS-ci", "s-ci"
	}
	if status, body := e.rawV1("GET", cloneValues(q), nil, id, secret); status >= 500 || !json.Valid([]byte(body)) {
		report(hostileFinding{name, "GET", "", fmt.Sprintf("status %d: %s", status, abbreviate(body))})
	}
	q.Set("Format", "XML")
	status, body := e.rawV1("POST", cloneValues(q), nil, id, secret)
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
	params := rpcParams(action, "POST")
	params.Version = dara.String(version)
	_, err = c.CallApi(params, &openapiutil.OpenApiRequest{Body: body3}, &dara.RuntimeOptions{})
	var se *tea.SDKError
	if err != nil && (!asSDKError(err, &se) || dara.IntValue(se.StatusCode) >= 500 || dara.StringValue(se.Code) == "") {
		report(hostileFinding{name, "V3", "", fmt.Sprintf("%v", err)})
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
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
