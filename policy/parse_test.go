package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

// stmt wraps one statement (a JSON object) into a policy document.
func stmt(s string) string { return `{"Version":"1","Statement":[` + s + `]}` }

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		want      []string // fragments of the error message, in order
	}{
		{"parse/error empty", ``, []string{"not valid JSON"}},
		{"parse/error not JSON", `Version: 1`, []string{"not valid JSON", "at byte 1"}},
		{"parse/error truncated", `{"Version":"1","Statement":[`, []string{"not valid JSON"}},
		{"parse/error trailing data", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"}`) + `}`, []string{"not valid JSON"}},
		{"parse/error array", `[]`, []string{"must be a JSON object", "got []"}},
		{"parse/error null", `null`, []string{"must be a JSON object"}},
		{"parse/error string of garbage", `"nope"`, []string{"not valid JSON (in the string)", "at byte 2"}},
		{"parse/error bad string", `"nope`, []string{"not valid JSON: unexpected end"}},
		{"parse/error missing Version", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, []string{`Version is missing: it must be "1"`}},
		{"parse/error Version 2", `{"Version":"2","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, []string{`Version must be the string "1", not "2"`}},
		{"parse/error Version number", `{"Version":1,"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, []string{`Version must be the string "1", not 1`}},
		{"parse/error Version AWS", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, []string{`not "2012-10-17"`}},
		{"parse/error unknown element", `{"Version":"1","Id":"x","Statement":[]}`, []string{`unknown element "Id"`, "Version and Statement"}},
		{"parse/error miscased element", `{"Version":"1","statement":[]}`, []string{`element "statement": write "Statement"`}},
		{"parse/error duplicate element", `{"Version":"1","Version":"1","Statement":[]}`, []string{`"Version" appears twice`}},
		{"parse/error missing Statement", `{"Version":"1"}`, []string{"Statement is missing"}},
		{"parse/error Statement object", `{"Version":"1","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, []string{"Statement must be an array"}},
		{"parse/error Statement null", `{"Version":"1","Statement":null}`, []string{"Statement must be an array"}},
		{"parse/error Statement empty", `{"Version":"1","Statement":[]}`, []string{"Statement is empty"}},
		{"parse/error statement not object", stmt(`"Allow"`), []string{"Statement[0]: must be a JSON object"}},
		{"parse/error statement index", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*"}`), []string{"Statement[1]: needs Resource or NotResource"}},
		{"parse/error Effect missing", stmt(`{"Action":"*","Resource":"*"}`), []string{`Statement[0]: Effect is missing: it must be "Allow" or "Deny"`}},
		{"parse/error Effect lower case", stmt(`{"Effect":"allow","Action":"*","Resource":"*"}`), []string{`Statement[0].Effect: write "Allow", not "allow"`, "case-sensitive"}},
		{"parse/error Effect upper case", stmt(`{"Effect":"DENY","Action":"*","Resource":"*"}`), []string{`write "Deny"`}},
		{"parse/error Effect other", stmt(`{"Effect":"Permit","Action":"*","Resource":"*"}`), []string{`Statement[0].Effect: must be "Allow" or "Deny", not "Permit"`}},
		{"parse/error Effect number", stmt(`{"Effect":1,"Action":"*","Resource":"*"}`), []string{`must be "Allow" or "Deny", not 1`}},
		{"parse/error Effect empty", stmt(`{"Effect":"","Action":"*","Resource":"*"}`), []string{`must be "Allow" or "Deny", not ""`}},
		{"parse/error Action and NotAction", stmt(`{"Effect":"Allow","Action":"*","NotAction":"slb:Delete*","Resource":"*"}`), []string{"has both Action and NotAction: use one"}},
		{"parse/error no Action", stmt(`{"Effect":"Allow","Resource":"*"}`), []string{"needs Action or NotAction"}},
		{"parse/error Action empty array", stmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), []string{"Action is empty"}},
		{"parse/error NotAction empty array", stmt(`{"Effect":"Allow","NotAction":[],"Resource":"*"}`), []string{"NotAction is empty"}},
		{"parse/error Action number", stmt(`{"Effect":"Allow","Action":7,"Resource":"*"}`), []string{"Action must be a string or an array of strings"}},
		{"parse/error Action object", stmt(`{"Effect":"Allow","Action":{"slb":"*"},"Resource":"*"}`), []string{"Action must be a string or an array of strings"}},
		{"parse/error Action array of numbers", stmt(`{"Effect":"Allow","Action":["slb:*",7],"Resource":"*"}`), []string{"Action must be a string or an array of strings"}},
		{"parse/error Action null element", stmt(`{"Effect":"Allow","Action":["slb:*",null],"Resource":"*"}`), []string{`Statement[0].Action[1]: "": an action is "*" or "<service>:<action>"`}},
		{"parse/error Action empty string", stmt(`{"Effect":"Allow","Action":"","Resource":"*"}`), []string{`Action[0]: "": an action is`}},
		{"parse/error Action without service", stmt(`{"Effect":"Allow","Action":"DescribeServerCertificates","Resource":"*"}`), []string{`Action[0]: "DescribeServerCertificates": an action is "*" or "<service>:<action>"`}},
		{"parse/error Action without name", stmt(`{"Effect":"Allow","Action":["slb:*","slb:"],"Resource":"*"}`), []string{`Action[1]: "slb:"`}},
		{"parse/error Action with space", stmt(`{"Effect":"Allow","Action":"slb: Describe*","Resource":"*"}`), []string{"no white space"}},
		{"parse/error NotAction without service", stmt(`{"Effect":"Allow","NotAction":"*Delete*","Resource":"*"}`), []string{`NotAction[0]: "*Delete*"`}},
		{"parse/error Resource missing", stmt(`{"Effect":"Allow","Action":"*"}`), []string{"needs Resource or NotResource"}},
		{"parse/error Resource and NotResource", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}`), []string{"has both Resource and NotResource: use one"}},
		{"parse/error Resource empty array", stmt(`{"Effect":"Allow","Action":"*","Resource":[]}`), []string{"Resource is empty"}},
		{"parse/error Resource not an ARN", stmt(`{"Effect":"Allow","Action":"*","Resource":"certificate/*"}`), []string{`Statement[0].Resource[0]: "certificate/*": a resource is "*" or an ARN`}},
		{"parse/error Resource AWS ARN", stmt(`{"Effect":"Allow","Action":"*","Resource":["*","arn:aws:s3:::x"]}`), []string{`Resource[1]: "arn:aws:s3:::x"`}},
		{"parse/error Resource with spaces", stmt(`{"Effect":"Allow","Action":"*","Resource":" acs:slb:*"}`), []string{"no white space around it"}},
		{"parse/error NotResource empty string", stmt(`{"Effect":"Allow","Action":"*","NotResource":""}`), []string{`NotResource[0]: ""`}},
		{"parse/error Principal", stmt(`{"Effect":"Allow","Principal":{"RAM":["acs:ram::1:root"]},"Action":"*","Resource":"*"}`), []string{"Principal belongs in trust and resource policies"}},
		{"parse/error Sid", stmt(`{"Sid":"one","Effect":"Allow","Action":"*","Resource":"*"}`), []string{`unknown element "Sid"`, "a statement has Effect"}},
		{"parse/error miscased statement element", stmt(`{"Effect":"Allow","action":"*","Resource":"*"}`), []string{`element "action": write "Action"`}},
		{"parse/error duplicate Action", stmt(`{"Effect":"Allow","Action":"slb:Describe*","Action":"*","Resource":"*"}`), []string{`"Action" appears twice`}},
		{"parse/error Condition not object", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":[]}`), []string{"Statement[0].Condition: must be an object of condition operators"}},
		{"parse/error Condition null", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":null}`), []string{"Condition: must be an object"}},
		{"parse/error unknown operator", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringMatches":{"acs:SourceIp":"x"}}}`), []string{`Statement[0].Condition: unknown condition operator "StringMatches"`}},
		{"parse/error miscased operator", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ipaddress":{"acs:SourceIp":"10.0.0.0/8"}}}`), []string{`Condition: operator "ipaddress": write "IpAddress"`}},
		{"parse/error ForAnyValue", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"slb:tag/env":"x"}}}`), []string{"not supported"}},
		{"parse/error IfExists", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"slb:tag/env":"x"}}}`), []string{"not supported"}},
		{"parse/error empty operator", stmt(`{"Effect":"Allow","Action":"0:0","Resource":"*","Condition":{"":{}}}`), []string{`unknown condition operator ""`}},
		{"parse/error duplicate operator", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"true"},"Bool":{"acs:SecureTransport":"false"}}}`), []string{`"Bool" appears twice`}},
		{"parse/error operator not object", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":"true"}}`), []string{"Condition.Bool: must be an object of condition keys"}},
		{"parse/error operator without key", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{}}}`), []string{"Condition.Bool: has no condition key"}},
		{"parse/error empty key", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"":"true"}}}`), []string{"Condition.Bool: a condition key is empty"}},
		{"parse/error duplicate key", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"slb:tag/a":"1","slb:tag/a":"2"}}}`), []string{`"slb:tag/a" appears twice`}},
		{"parse/error value null", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"slb:tag/a":null}}}`), []string{`Condition.StringEquals["slb:tag/a"]: a value is a string, a number or a boolean, not null`}},
		{"parse/error value object", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"slb:tag/a":{"b":1}}}}`), []string{`not {"b":1}`}},
		{"parse/error value nested array", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"slb:tag/a":[["x"]]}}}`), []string{`not ["x"]`}},
		{"parse/error value empty array", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"slb:tag/a":[]}}}`), []string{`["slb:tag/a"]: no value`}},
		{"parse/error numeric", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"slb:tag/n":"ten"}}}`), []string{`NumericLessThan["slb:tag/n"]: "ten" is not a finite number`}},
		{"parse/error numeric NaN", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"slb:tag/n":"NaN"}}}`), []string{`"NaN" is not a finite number`}},
		{"parse/error numeric infinite", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"slb:tag/n":1e400}}}`), []string{`"1e400" is not a finite number`}},
		{"parse/error date", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"next year"}}}`), []string{`DateLessThan["acs:CurrentTime"]: "next year" is not a date`}},
		{"parse/error date without zone", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"2026-01-01T00:00:00"}}}`), []string{`"2026-01-01T00:00:00" is not a date`, "with a zone"}},
		{"parse/error date impossible", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"acs:CurrentTime":"2026-02-30"}}}`), []string{`"2026-02-30" is not a date`}},
		{"parse/error date fraction of second epoch", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"acs:CurrentTime":1.5}}}`), []string{`"1.5" is not a date`}},
		{"parse/error bool", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"yes"}}}`), []string{`Bool["acs:SecureTransport"]: "yes" is not "true" or "false"`}},
		{"parse/error bool number", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":1}}}`), []string{`"1" is not "true" or "false"`}},
		{"parse/error ip", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.256"}}}`), []string{`IpAddress["acs:SourceIp"]: "10.0.0.256" is not an IP address or CIDR block`}},
		{"parse/error ip CIDR bits", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","10.0.0.0/33"]}}}`), []string{`"10.0.0.0/33" is not an IP address`}},
		{"parse/error ip range", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.1-10.0.0.9"}}}`), []string{"is not an IP address or CIDR block"}},
		{"parse/error ip with zone", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"fe80::1%eth0"}}}`), []string{"is not an IP address"}},
		{"parse/error second statement condition", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"maybe"}}}`), []string{`Statement[1].Condition.Bool["acs:SecureTransport"]`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse([]byte(c.doc))
			if err == nil {
				t.Fatalf("Parse succeeded (%d statements), want an error", len(p.statements))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "policy: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			rest := msg
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q does not contain %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
			var into struct{ P Policy }
			if json.Unmarshal([]byte(`{"P":`+c.doc+`}`), &into) == nil {
				t.Errorf("UnmarshalJSON accepted what Parse refuses")
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"parse/uploader example", uploaderExample},
		{"parse/white space around", " \n\t" + uploaderExample + "\n"},
		{"parse/element order free", `{"Statement":[{"Resource":"*","Action":"*","Effect":"Deny"}],"Version":"1"}`},
		{"parse/several statements", stmt(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":["slb:Describe*"],"NotResource":"acs:slb:*:*:certificate/*"}`)},
		{"parse/empty condition", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}`)},
		{"parse/every operator", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
			"StringEquals":{"k:a":"x"},"StringNotEquals":{"k:a":"x"},"StringEqualsIgnoreCase":{"k:a":"x"},"StringNotEqualsIgnoreCase":{"k:a":"x"},
			"StringLike":{"k:a":"x*"},"StringNotLike":{"k:a":"?"},
			"NumericEquals":{"k:n":1},"NumericNotEquals":{"k:n":"1"},"NumericLessThan":{"k:n":-1.5},"NumericLessThanEquals":{"k:n":2e3},"NumericGreaterThan":{"k:n":0},"NumericGreaterThanEquals":{"k:n":"0.5"},
			"DateEquals":{"k:d":"2026-01-01T00:00:00Z"},"DateNotEquals":{"k:d":"2026-01-01T08:00:00+08:00"},"DateLessThan":{"k:d":"2026-01-01"},"DateLessThanEquals":{"k:d":1767225600},
			"DateGreaterThan":{"k:d":"2026-01-01T00:00:00.123456789Z"},"DateGreaterThanEquals":{"k:d":"2026-01-01T08:00+0800"},
			"Bool":{"k:b":false},"IpAddress":{"k:ip":["1.2.3.4","::1","10.0.0.0/8","2001:db8::/32"]},"NotIpAddress":{"k:ip":"0.0.0.0/0"}}}`)},
		{"parse/wildcards everywhere", stmt(`{"Effect":"Allow","Action":["*:*","slb:?escribe*","*"],"Resource":["acs:*","acs:slb:??-*:*:certificate/*","**"]}`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			mustParse(t, c.doc)
		})
	}
}

// TestParseString covers a document given as a JSON string, as the RAM API's
// PolicyDocument parameter and some IAM exports carry it.
func TestParseString(t *testing.T) {
	quoted, _ := json.Marshal(uploaderExample)
	p := mustParse(t, string(quoted))
	req := Request{Action: uploadAction, Resource: certsARN}
	if d := Evaluate([]*Policy{p}, req); d != Allow {
		t.Errorf("Evaluate = %v, want Allow", d)
	}
	twice, _ := json.Marshal(string(quoted))
	if _, err := Parse(twice); err == nil {
		t.Errorf("a document quoted twice was accepted")
	}
}

// TestUnmarshalJSON decodes an IAM file in the shape of examples/iam.json,
// with the document embedded as an object.
func TestUnmarshalJSON(t *testing.T) {
	const iam = `{"accounts":[{"id":"1000000000000002","policies":[
		{"name":"CertUploader","document":{"Version": "1", "Statement": [
			{"Effect": "Allow", "Action": ["slb:UploadServerCertificate", "slb:Describe*"], "Resource": "*"}]}},
		{"name":"NoDelete","document":"{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"slb:Delete*\",\"Resource\":\"*\"}]}"}]}]}`
	var file struct {
		Accounts []struct {
			ID       string `json:"id"`
			Policies []struct {
				Name     string  `json:"name"`
				Document *Policy `json:"document"`
			} `json:"policies"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(iam), &file); err != nil {
		t.Fatal(err)
	}
	var ps []*Policy
	for _, p := range file.Accounts[0].Policies {
		ps = append(ps, p.Document)
	}
	for _, c := range []struct {
		action string
		want   Decision
	}{
		{uploadAction, Allow},
		{describeAction, Allow},
		{deleteAction, ExplicitDeny},
		{"slb:TagResources", ImplicitDeny},
	} {
		if got := Evaluate(ps, Request{Action: c.action, Resource: certARN}); got != c.want {
			t.Errorf("%s: %v, want %v", c.action, got, c.want)
		}
	}

	// A broken document fails the whole file and says where.
	broken := strings.Replace(iam, `"Effect": "Allow"`, `"Effect": "allow"`, 1)
	err := json.Unmarshal([]byte(broken), &file)
	if err == nil || !strings.Contains(err.Error(), `Statement[0].Effect: write "Allow"`) {
		t.Errorf("broken document: %v", err)
	}
}

func TestMarshalJSON(t *testing.T) {
	p := mustParse(t, "{\n  \"Version\": \"1\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}")
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`; string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	got, _ = json.Marshal(struct{ P *Policy }{&Policy{}})
	if string(got) != `{"P":null}` {
		t.Errorf("zero Policy marshals to %s", got)
	}
	if d := Evaluate([]*Policy{{}}, Request{Action: "slb:x", Resource: "*"}); d != ImplicitDeny {
		t.Errorf("the zero Policy gives %v", d)
	}
}
