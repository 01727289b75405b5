package policy

import (
	"maps"
	"slices"
	"testing"
)

const (
	account   = "1000000000000001"
	certsARN  = "acs:slb:cn-hangzhou:" + account + ":certificate/*"
	certARN   = "acs:slb:cn-hangzhou:" + account + ":certificate/" + certID
	certID    = "1000000000000001-cn-hangzhou-abc123"
	otherCert = "acs:slb:cn-shanghai:" + account + ":certificate/1000000000000001-cn-shanghai-xyz"

	uploadAction   = "slb:UploadServerCertificate"
	describeAction = "slb:DescribeServerCertificates"
	deleteAction   = "slb:DeleteServerCertificate"
)

// uploaderExample is the policy "CertUploader" of examples/iam.json.
const uploaderExample = `{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": ["slb:UploadServerCertificate", "slb:Describe*"], "Resource": "*"}]}`

// baseContext is what the server provides for a request over HTTPS on a
// certificate tagged env=prod, tier=3.
func baseContext() map[string][]string {
	return map[string][]string{
		KeySourceIP:          {"203.0.113.7"},
		KeyCurrentTime:       {"2026-03-01T10:00:00Z"},
		KeySecureTransport:   {"true"},
		TagKey("env"):        {"prod"},
		TagKey("tier"):       {"3"},
		TagKey("team"):       {"Payments"},
		TagKey("not-number"): {"x"},
	}
}

// with returns baseContext with key set to values (removed when none).
func with(key string, values ...string) map[string][]string {
	ctx := baseContext()
	if len(values) == 0 {
		delete(ctx, key)
	} else {
		ctx[key] = values
	}
	return ctx
}

// allowIf is a policy allowing every certificate operation when cond (a
// Condition object) holds.
func allowIf(cond string) string {
	return `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*","Condition":` + cond + `}]}`
}

type evalCase struct {
	name     string
	policies []string
	action   string              // default deleteAction
	resource string              // default certARN
	ctx      map[string][]string // default baseContext()
	want     Decision
	// For Allow and ExplicitDeny, the deciding statement (policy, statement);
	// checked when policy is not zero or the decision is not ImplicitDeny.
	policy, statement int
}

func evalCases() []evalCase {
	allowAll := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	return []evalCase{
		// Actions.
		{name: "allow/exact action", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:DeleteServerCertificate","Resource":"*"}]}`}, want: Allow},
		{name: "allow/wildcard action", policies: []string{uploaderExample}, action: describeAction, resource: certsARN, want: Allow},
		{name: "allow/wildcard action CA", policies: []string{uploaderExample}, action: "slb:DescribeCACertificates", resource: certsARN, want: Allow},
		{name: "allow/uploader example upload", policies: []string{uploaderExample}, action: uploadAction, resource: certsARN, want: Allow},
		{name: "deny/uploader example delete", policies: []string{uploaderExample}, action: deleteAction, want: ImplicitDeny},
		{name: "deny/uploader example tag", policies: []string{uploaderExample}, action: "slb:TagResources", want: ImplicitDeny},
		{name: "allow/action star", policies: []string{allowAll}, action: "ram:CreateUser", want: Allow},
		{name: "allow/action double star", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"**","Resource":"*"}]}`}, want: Allow},
		{name: "allow/service star", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*"}]}`}, want: Allow},
		{name: "deny/other service", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","Resource":"*"}]}`}, action: "ecs:DescribeInstances", want: ImplicitDeny},
		{name: "allow/action lower case pattern", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:describe*","Resource":"*"}]}`}, action: describeAction, want: Allow},
		{name: "allow/action upper case request", policies: []string{uploaderExample}, action: "SLB:DESCRIBESERVERCERTIFICATES", want: Allow},
		{name: "allow/action mixed case literal", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"SLB:deleteservercertificate","Resource":"*"}]}`}, want: Allow},
		{name: "allow/action question mark", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe?ACertificates","Resource":"*"}]}`}, action: "slb:DescribeCACertificates", want: Allow},
		{name: "deny/action question mark is one character", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe?ACertificates","Resource":"*"}]}`}, action: describeAction, want: ImplicitDeny},
		{name: "deny/action prefix only", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Describe","Resource":"*"}]}`}, action: describeAction, want: ImplicitDeny},
		{name: "allow/second action of list", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":["slb:Upload*","slb:Delete*"],"Resource":"*"}]}`}, want: Allow},

		// Default deny and explicit deny.
		{name: "deny/default no policy", want: ImplicitDeny},
		{name: "deny/default nil policy", policies: []string{""}, want: ImplicitDeny},
		{name: "deny/default action not allowed", policies: []string{uploaderExample}, action: "slb:SetServerCertificateName", want: ImplicitDeny},
		{name: "deny/explicit beats allow", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"slb:Delete*","Resource":"*"}]}`}, want: ExplicitDeny, policy: 1, statement: 0},
		{name: "deny/explicit before allow", policies: []string{`{"Version":"1","Statement":[{"Effect":"Deny","Action":"slb:Delete*","Resource":"*"}]}`, allowAll}, want: ExplicitDeny, policy: 0, statement: 0},
		{name: "deny/explicit after allow in one policy", policies: []string{`{"Version":"1","Statement":[
			{"Effect":"Allow","Action":"*","Resource":"*"},
			{"Effect":"Allow","Action":"slb:*","Resource":"*"},
			{"Effect":"Deny","Action":"slb:DeleteServerCertificate","Resource":"` + certARN + `"}]}`}, want: ExplicitDeny, policy: 0, statement: 2},
		{name: "deny/explicit deny alone", policies: []string{`{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`}, want: ExplicitDeny},
		{name: "allow/deny for another action", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"slb:Upload*","Resource":"*"}]}`}, want: Allow, policy: 0, statement: 0},
		{name: "allow/deny for another resource", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"` + otherCert + `"}]}`}, want: Allow},
		{name: "allow/deny whose condition fails", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"false"}}}]}`}, want: Allow},
		{name: "allow/first allowing statement decides", policies: []string{uploaderExample, `{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:Upload*","Resource":"*"},{"Effect":"Allow","Action":"slb:Delete*","Resource":"*"}]}`}, want: Allow, policy: 1, statement: 1},

		// NotAction.
		{name: "notaction/allows what is not listed", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"slb:Delete*","Resource":"*"}]}`}, action: uploadAction, want: Allow},
		{name: "notaction/listed action not allowed", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"slb:Delete*","Resource":"*"}]}`}, want: ImplicitDeny},
		{name: "notaction/case-insensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","NotAction":["SLB:DELETE*"],"Resource":"*"}]}`}, want: ImplicitDeny},
		{name: "notaction/deny all but describe", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","NotAction":["slb:Describe*","slb:ListTagResources"],"Resource":"*"}]}`}, action: uploadAction, want: ExplicitDeny, policy: 1},
		{name: "notaction/deny all but describe lets describe", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","NotAction":["slb:Describe*","slb:ListTagResources"],"Resource":"*"}]}`}, action: "slb:ListTagResources", want: Allow},

		// Resources.
		{name: "allow/resource exact", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"` + certARN + `"}]}`}, want: Allow},
		{name: "allow/resource region wildcard", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:cn-*:` + account + `:certificate/*"}]}`}, resource: otherCert, want: Allow},
		{name: "allow/resource star spans colons", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:*"}]}`}, want: Allow},
		{name: "allow/resource star spans slashes", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:*abc123"}]}`}, want: Allow},
		{name: "allow/resource collection", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:*:*:certificate/*"}]}`}, resource: certsARN, want: Allow},
		{name: "allow/resource question marks", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:cn-hangzhou:` + account + `:certificate/` + account + `-cn-hangzhou-abc???"}]}`}, want: Allow},
		{name: "deny/resource question mark too few", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:cn-hangzhou:` + account + `:certificate/` + account + `-cn-hangzhou-abc??"}]}`}, want: ImplicitDeny},
		{name: "deny/resource other region", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:cn-hangzhou:*:*"}]}`}, resource: otherCert, want: ImplicitDeny},
		{name: "deny/resource other account", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:*:1000000000000002:*"}]}`}, want: ImplicitDeny},
		{name: "deny/resource id is case-sensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:*:*:certificate/` + account + `-cn-hangzhou-ABC123"}]}`}, want: ImplicitDeny},
		{name: "deny/resource type is case-sensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:*:*:Certificate/*"}]}`}, want: ImplicitDeny},
		{name: "allow/resource service is case-insensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"ACS:SLB:cn-hangzhou:*:certificate/*"}]}`}, want: Allow},
		{name: "allow/resource service of request is case-insensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:cn-hangzhou:*:certificate/*"}]}`}, resource: "Acs:Slb:cn-hangzhou:" + account + ":certificate/x", want: Allow},
		{name: "deny/resource region is case-sensitive", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"acs:slb:CN-HANGZHOU:*:certificate/*"}]}`}, want: ImplicitDeny},

		// NotResource.
		{name: "notresource/allows other resources", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","NotResource":"acs:slb:*:*:certificate/*-cn-shanghai-*"}]}`}, want: Allow},
		{name: "notresource/listed resource not allowed", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","Action":"slb:*","NotResource":"acs:slb:*:*:certificate/*-cn-shanghai-*"}]}`}, resource: otherCert, want: ImplicitDeny},
		{name: "notresource/deny outside home region", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","NotResource":["acs:slb:cn-hangzhou:*"]}]}`}, resource: otherCert, want: ExplicitDeny, policy: 1},
		{name: "notresource/home region allowed", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","NotResource":["acs:slb:cn-hangzhou:*"]}]}`}, want: Allow},
		{name: "notresource/with notaction", policies: []string{`{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"slb:Delete*","NotResource":"` + otherCert + `"}]}`}, action: "slb:SetServerCertificateName", want: Allow},

		// StringEquals and StringNotEquals.
		{name: "condition/StringEquals tag", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"prod"}}`)}, want: Allow},
		{name: "condition/StringEquals tag differs", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"dev"}}`)}, want: ImplicitDeny},
		{name: "condition/StringEquals value is case-sensitive", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"Prod"}}`)}, want: ImplicitDeny},
		{name: "condition/StringEquals values are ORed", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":["dev","prod"]}}`)}, want: Allow},
		{name: "condition/StringEquals keys are ANDed", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"prod","slb:tag/team":"Search"}}`)}, want: ImplicitDeny},
		{name: "condition/StringEquals keys are ANDed both hold", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"prod","slb:tag/team":"Payments"}}`)}, want: Allow},
		{name: "condition/StringEquals missing key", policies: []string{allowIf(`{"StringEquals":{"slb:tag/owner":"alice"}}`)}, want: ImplicitDeny},
		{name: "condition/StringEquals no context", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"prod"}}`)}, ctx: map[string][]string{}, want: ImplicitDeny},
		{name: "condition/StringEquals multi-valued context", policies: []string{allowIf(`{"StringEquals":{"slb:tag/env":"prod"}}`)}, ctx: with(TagKey("env"), "dev", "prod"), want: Allow},
		{name: "condition/StringEquals number value", policies: []string{allowIf(`{"StringEquals":{"slb:tag/tier":3}}`)}, want: Allow},
		{name: "condition/key is case-insensitive in policy", policies: []string{allowIf(`{"StringEquals":{"SLB:Tag/ENV":"prod"}}`)}, want: Allow},
		{name: "condition/key is case-insensitive in context", policies: []string{allowIf(`{"StringEquals":{"acs:sourceip":"203.0.113.7"}}`)}, ctx: map[string][]string{"ACS:SourceIp": {"203.0.113.7"}}, want: Allow},
		{name: "condition/context keys differing in case are pooled", policies: []string{allowIf(`{"StringEquals":{"slb:tag/Env":"prod"}}`)}, ctx: map[string][]string{"slb:tag/Env": {"dev"}, "slb:tag/env": {"prod"}}, want: Allow},
		{name: "condition/StringNotEquals holds", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/env":"dev"}}`)}, want: Allow},
		{name: "condition/StringNotEquals fails", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/env":"prod"}}`)}, want: ImplicitDeny},
		{name: "condition/StringNotEquals matches none of several", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/env":["dev","staging"]}}`)}, want: Allow},
		{name: "condition/StringNotEquals matches one of several", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/env":["dev","prod"]}}`)}, want: ImplicitDeny},
		{name: "condition/StringNotEquals missing key holds", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/owner":"alice"}}`)}, want: Allow},
		{name: "condition/StringNotEquals multi-valued context", policies: []string{allowIf(`{"StringNotEquals":{"slb:tag/env":"prod"}}`)}, ctx: with(TagKey("env"), "dev", "prod"), want: ImplicitDeny},
		{name: "condition/deny StringNotEquals protects untagged", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"slb:Delete*","Resource":"*","Condition":{"StringNotEquals":{"slb:tag/env":"dev"}}}]}`}, ctx: with(TagKey("env")), want: ExplicitDeny, policy: 1},

		// Ignore-case variants.
		{name: "condition/StringEqualsIgnoreCase", policies: []string{allowIf(`{"StringEqualsIgnoreCase":{"slb:tag/team":"PAYMENTS"}}`)}, want: Allow},
		{name: "condition/StringEqualsIgnoreCase differs", policies: []string{allowIf(`{"StringEqualsIgnoreCase":{"slb:tag/team":"search"}}`)}, want: ImplicitDeny},
		{name: "condition/StringEqualsIgnoreCase missing key", policies: []string{allowIf(`{"StringEqualsIgnoreCase":{"slb:tag/owner":"x"}}`)}, want: ImplicitDeny},
		{name: "condition/StringNotEqualsIgnoreCase fails", policies: []string{allowIf(`{"StringNotEqualsIgnoreCase":{"slb:tag/team":"payments"}}`)}, want: ImplicitDeny},
		{name: "condition/StringNotEqualsIgnoreCase holds", policies: []string{allowIf(`{"StringNotEqualsIgnoreCase":{"slb:tag/team":["search","ads"]}}`)}, want: Allow},
		{name: "condition/StringNotEqualsIgnoreCase missing key", policies: []string{allowIf(`{"StringNotEqualsIgnoreCase":{"slb:tag/owner":"x"}}`)}, want: Allow},

		// StringLike and StringNotLike.
		{name: "condition/StringLike star", policies: []string{allowIf(`{"StringLike":{"slb:tag/team":"Pay*"}}`)}, want: Allow},
		{name: "condition/StringLike question mark", policies: []string{allowIf(`{"StringLike":{"slb:tag/env":"pr?d"}}`)}, want: Allow},
		{name: "condition/StringLike is case-sensitive", policies: []string{allowIf(`{"StringLike":{"slb:tag/team":"pay*"}}`)}, want: ImplicitDeny},
		{name: "condition/StringLike several patterns", policies: []string{allowIf(`{"StringLike":{"slb:tag/team":["Search*","*ments"]}}`)}, want: Allow},
		{name: "condition/StringLike missing key", policies: []string{allowIf(`{"StringLike":{"slb:tag/owner":"*"}}`)}, want: ImplicitDeny},
		{name: "condition/StringLike star matches empty value", policies: []string{allowIf(`{"StringLike":{"slb:tag/owner":"*"}}`)}, ctx: with(TagKey("owner"), ""), want: Allow},
		{name: "condition/StringNotLike holds", policies: []string{allowIf(`{"StringNotLike":{"slb:tag/env":"dev-*"}}`)}, want: Allow},
		{name: "condition/StringNotLike fails", policies: []string{allowIf(`{"StringNotLike":{"slb:tag/env":["dev-*","p*"]}}`)}, want: ImplicitDeny},
		{name: "condition/StringNotLike missing key", policies: []string{allowIf(`{"StringNotLike":{"slb:tag/owner":"*"}}`)}, want: Allow},

		// Numeric operators; tier is 3.
		{name: "condition/NumericEquals", policies: []string{allowIf(`{"NumericEquals":{"slb:tag/tier":3}}`)}, want: Allow},
		{name: "condition/NumericEquals string value", policies: []string{allowIf(`{"NumericEquals":{"slb:tag/tier":"3.0"}}`)}, want: Allow},
		{name: "condition/NumericEquals differs", policies: []string{allowIf(`{"NumericEquals":{"slb:tag/tier":[1,2]}}`)}, want: ImplicitDeny},
		{name: "condition/NumericEquals context not a number", policies: []string{allowIf(`{"NumericEquals":{"slb:tag/not-number":0}}`)}, want: ImplicitDeny},
		{name: "condition/NumericEquals missing key", policies: []string{allowIf(`{"NumericEquals":{"slb:tag/owner":0}}`)}, want: ImplicitDeny},
		{name: "condition/NumericNotEquals holds", policies: []string{allowIf(`{"NumericNotEquals":{"slb:tag/tier":[1,2]}}`)}, want: Allow},
		{name: "condition/NumericNotEquals fails", policies: []string{allowIf(`{"NumericNotEquals":{"slb:tag/tier":[2,3]}}`)}, want: ImplicitDeny},
		{name: "condition/NumericNotEquals context not a number", policies: []string{allowIf(`{"NumericNotEquals":{"slb:tag/not-number":0}}`)}, want: Allow},
		{name: "condition/NumericNotEquals missing key", policies: []string{allowIf(`{"NumericNotEquals":{"slb:tag/owner":0}}`)}, want: Allow},
		{name: "condition/NumericLessThan", policies: []string{allowIf(`{"NumericLessThan":{"slb:tag/tier":3.5}}`)}, want: Allow},
		{name: "condition/NumericLessThan boundary", policies: []string{allowIf(`{"NumericLessThan":{"slb:tag/tier":3}}`)}, want: ImplicitDeny},
		{name: "condition/NumericLessThanEquals boundary", policies: []string{allowIf(`{"NumericLessThanEquals":{"slb:tag/tier":3}}`)}, want: Allow},
		{name: "condition/NumericLessThanEquals fails", policies: []string{allowIf(`{"NumericLessThanEquals":{"slb:tag/tier":-1e3}}`)}, want: ImplicitDeny},
		{name: "condition/NumericGreaterThan", policies: []string{allowIf(`{"NumericGreaterThan":{"slb:tag/tier":2}}`)}, want: Allow},
		{name: "condition/NumericGreaterThan boundary", policies: []string{allowIf(`{"NumericGreaterThan":{"slb:tag/tier":3}}`)}, want: ImplicitDeny},
		{name: "condition/NumericGreaterThanEquals boundary", policies: []string{allowIf(`{"NumericGreaterThanEquals":{"slb:tag/tier":3}}`)}, want: Allow},
		{name: "condition/NumericGreaterThanEquals fails", policies: []string{allowIf(`{"NumericGreaterThanEquals":{"slb:tag/tier":10}}`)}, want: ImplicitDeny},
		{name: "condition/NumericGreaterThan any of several", policies: []string{allowIf(`{"NumericGreaterThan":{"slb:tag/tier":[10,1]}}`)}, want: Allow},

		// Date operators; the request is at 2026-03-01T10:00:00Z.
		{name: "condition/DateLessThan", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2026-12-31T00:00:00Z"}}`)}, want: Allow},
		{name: "condition/DateLessThan past", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2026-01-01T00:00:00Z"}}`)}, want: ImplicitDeny},
		{name: "condition/DateLessThan boundary", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2026-03-01T10:00:00Z"}}`)}, want: ImplicitDeny},
		{name: "condition/DateLessThanEquals boundary with zone", policies: []string{allowIf(`{"DateLessThanEquals":{"acs:CurrentTime":"2026-03-01T18:00:00+08:00"}}`)}, want: Allow},
		{name: "condition/DateGreaterThan", policies: []string{allowIf(`{"DateGreaterThan":{"acs:CurrentTime":"2026-03-01T17:59:59+08:00"}}`)}, want: Allow},
		{name: "condition/DateGreaterThan future", policies: []string{allowIf(`{"DateGreaterThan":{"acs:CurrentTime":"2026-03-01T10:00:00.001Z"}}`)}, want: ImplicitDeny},
		{name: "condition/DateGreaterThan day", policies: []string{allowIf(`{"DateGreaterThan":{"acs:CurrentTime":"2026-03-01"}}`)}, want: Allow},
		{name: "condition/DateGreaterThanEquals epoch", policies: []string{allowIf(`{"DateGreaterThanEquals":{"acs:CurrentTime":1772359200}}`)}, want: Allow},
		{name: "condition/DateGreaterThanEquals fails", policies: []string{allowIf(`{"DateGreaterThanEquals":{"acs:CurrentTime":"1772359201"}}`)}, want: ImplicitDeny},
		{name: "condition/DateEquals", policies: []string{allowIf(`{"DateEquals":{"acs:CurrentTime":"2026-03-01T10:00Z"}}`)}, want: Allow},
		{name: "condition/DateEquals differs", policies: []string{allowIf(`{"DateEquals":{"acs:CurrentTime":"2026-03-01T10:00:01Z"}}`)}, want: ImplicitDeny},
		{name: "condition/DateNotEquals", policies: []string{allowIf(`{"DateNotEquals":{"acs:CurrentTime":"2026-03-01T10:00:01Z"}}`)}, want: Allow},
		{name: "condition/DateNotEquals fails", policies: []string{allowIf(`{"DateNotEquals":{"acs:CurrentTime":"2026-03-01T10:00:00Z"}}`)}, want: ImplicitDeny},
		{name: "condition/DateLessThan missing key", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2099-01-01T00:00:00Z"}}`)}, ctx: with(KeyCurrentTime), want: ImplicitDeny},
		{name: "condition/DateLessThan context epoch", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2026-03-01T10:00:01Z"}}`)}, ctx: with(KeyCurrentTime, "1772359200"), want: Allow},
		{name: "condition/DateLessThan context not a date", policies: []string{allowIf(`{"DateLessThan":{"acs:CurrentTime":"2099-01-01T00:00:00Z"}}`)}, ctx: with(KeyCurrentTime, "tomorrow"), want: ImplicitDeny},
		{name: "condition/date window", policies: []string{allowIf(`{"DateGreaterThan":{"acs:CurrentTime":"2026-01-01T00:00:00+08:00"},"DateLessThan":{"acs:CurrentTime":"2026-06-30T23:59:59+08:00"}}`)}, want: Allow},

		// Bool.
		{name: "condition/Bool true", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"true"}}`)}, want: Allow},
		{name: "condition/Bool JSON true", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":true}}`)}, want: Allow},
		{name: "condition/Bool any case", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"TRUE"}}`)}, ctx: with(KeySecureTransport, "True"), want: Allow},
		{name: "condition/Bool false", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"false"}}`)}, want: ImplicitDeny},
		{name: "condition/Bool false over HTTP", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"false"}}`)}, ctx: with(KeySecureTransport, "false"), want: Allow},
		{name: "condition/Bool missing key", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"false"}}`)}, ctx: with(KeySecureTransport), want: ImplicitDeny},
		{name: "condition/Bool context not a boolean", policies: []string{allowIf(`{"Bool":{"acs:SecureTransport":"true"}}`)}, ctx: with(KeySecureTransport, "yes"), want: ImplicitDeny},

		// IpAddress and NotIpAddress.
		{name: "condition/IpAddress single address", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.7"}}`)}, want: Allow},
		{name: "condition/IpAddress other address", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.8"}}`)}, want: ImplicitDeny},
		{name: "condition/IpAddress CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.0/24"}}`)}, want: Allow},
		{name: "condition/IpAddress CIDR with host bits", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.100/25"}}`)}, want: Allow},
		{name: "condition/IpAddress outside CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.128/25"}}`)}, want: ImplicitDeny},
		{name: "condition/IpAddress list", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32","203.0.113.0/24"]}}`)}, want: Allow},
		{name: "condition/IpAddress IPv6 CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"2001:db8::/32"}}`)}, ctx: with(KeySourceIP, "2001:db8:1::5"), want: Allow},
		{name: "condition/IpAddress IPv6 outside CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"2001:db8::/32"}}`)}, ctx: with(KeySourceIP, "2001:db9::5"), want: ImplicitDeny},
		{name: "condition/IpAddress IPv6 single address", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"2001:DB8::5"}}`)}, ctx: with(KeySourceIP, "2001:db8:0:0:0:0:0:5"), want: Allow},
		{name: "condition/IpAddress IPv6 client, IPv4 CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}}`)}, ctx: with(KeySourceIP, "::1"), want: ImplicitDeny},
		{name: "condition/IpAddress IPv4-mapped client", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.0/24"}}`)}, ctx: with(KeySourceIP, "::ffff:203.0.113.7"), want: Allow},
		{name: "condition/IpAddress IPv4-mapped CIDR", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"::ffff:203.0.113.0/120"}}`)}, want: Allow},
		{name: "condition/IpAddress zoned client", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"fe80::/10"}}`)}, ctx: with(KeySourceIP, "fe80::1%eth0"), want: Allow},
		{name: "condition/IpAddress missing key", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}}`)}, ctx: with(KeySourceIP), want: ImplicitDeny},
		{name: "condition/IpAddress context not an address", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}}`)}, ctx: with(KeySourceIP, "localhost"), want: ImplicitDeny},
		{name: "condition/NotIpAddress outside", policies: []string{allowIf(`{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}`)}, want: Allow},
		{name: "condition/NotIpAddress inside", policies: []string{allowIf(`{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}`)}, want: ImplicitDeny},
		{name: "condition/NotIpAddress missing key", policies: []string{allowIf(`{"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}}`)}, ctx: with(KeySourceIP), want: Allow},
		{name: "condition/deny NotIpAddress outside office IPv6", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["2001:db8:a::/48","198.51.100.0/24"]}}}]}`}, ctx: with(KeySourceIP, "2001:db8:b::1"), want: ExplicitDeny, policy: 1},
		{name: "condition/deny NotIpAddress inside office IPv6", policies: []string{allowAll, `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["2001:db8:a::/48","198.51.100.0/24"]}}}]}`}, ctx: with(KeySourceIP, "2001:db8:a:ffff::1"), want: Allow},

		// Operators together.
		{name: "condition/operators are ANDed", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.0/24"},"Bool":{"acs:SecureTransport":"false"}}`)}, want: ImplicitDeny},
		{name: "condition/operators are ANDed all hold", policies: []string{allowIf(`{"IpAddress":{"acs:SourceIp":"203.0.113.0/24"},"Bool":{"acs:SecureTransport":"true"},"StringLike":{"slb:tag/env":"p*"}}`)}, want: Allow},
		{name: "condition/empty condition", policies: []string{allowIf(`{}`)}, want: Allow},
	}
}

func TestEvaluate(t *testing.T) {
	for _, c := range evalCases() {
		t.Run(c.name, func(t *testing.T) {
			var policies []*Policy
			for _, doc := range c.policies {
				if doc == "" {
					policies = append(policies, nil)
					continue
				}
				policies = append(policies, mustParse(t, doc))
			}
			req := Request{Action: c.action, Resource: c.resource, Context: c.ctx}
			if req.Action == "" {
				req.Action = deleteAction
			}
			if req.Resource == "" {
				req.Resource = certARN
			}
			if req.Context == nil {
				req.Context = baseContext()
			}
			before := maps.Clone(req.Context)

			got := EvaluateDetail(policies, req)
			if got.Decision != c.want {
				t.Fatalf("EvaluateDetail = %v, want %v", got.Decision, c.want)
			}
			if d := Evaluate(policies, req); d != got.Decision {
				t.Errorf("Evaluate = %v, EvaluateDetail = %v", d, got.Decision)
			}
			switch {
			case c.want == ImplicitDeny:
				if got.Policy != -1 || got.Statement != -1 {
					t.Errorf("ImplicitDeny decided by policy %d statement %d, want -1 -1", got.Policy, got.Statement)
				}
			case got.Policy != c.policy || got.Statement != c.statement:
				t.Errorf("decided by policy %d statement %d, want %d %d", got.Policy, got.Statement, c.policy, c.statement)
			}
			if !maps.EqualFunc(before, req.Context, slices.Equal) {
				t.Errorf("the context changed")
			}
		})
	}
}

// TestEvaluatePerResource is the shape of TagResources on several
// certificates: one evaluation per resource, each with that resource's tags.
func TestEvaluatePerResource(t *testing.T) {
	p := mustParse(t, `{"Version":"1","Statement":[
		{"Effect":"Allow","Action":"slb:TagResources","Resource":"acs:slb:*:*:certificate/*"},
		{"Effect":"Deny","Action":"slb:*","Resource":"*","Condition":{"StringEquals":{"slb:tag/locked":"true"}}}]}`)
	tags := map[string]map[string][]string{
		"a": {TagKey("env"): {"prod"}},
		"b": {TagKey("Locked"): {"true"}},
		"c": {},
	}
	want := map[string]Decision{"a": Allow, "b": ExplicitDeny, "c": Allow}
	for id, ctx := range tags {
		req := Request{Action: "slb:TagResources", Resource: "acs:slb:cn-hangzhou:" + account + ":certificate/" + id, Context: ctx}
		if got := Evaluate([]*Policy{p}, req); got != want[id] {
			t.Errorf("%s: %v, want %v", id, got, want[id])
		}
	}
}

func TestDecisionString(t *testing.T) {
	for d, want := range map[Decision]string{Allow: "Allow", ImplicitDeny: "ImplicitDeny", ExplicitDeny: "ExplicitDeny", Decision(7): "Decision(7)"} {
		if got := d.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(d), got, want)
		}
	}
}

func TestTagKey(t *testing.T) {
	if got := TagKey("Env"); got != "slb:tag/env" {
		t.Errorf("TagKey(Env) = %q", got)
	}
	for _, k := range []string{KeySourceIP, KeyCurrentTime, KeySecureTransport, KeyTagPrefix} {
		if CanonicalKey(k) != k {
			t.Errorf("%q is not canonical", k)
		}
	}
}

func TestSameKey(t *testing.T) {
	for _, c := range []struct {
		k, lower string
		want     bool
	}{
		{"acs:SourceIp", "acs:sourceip", true},
		{"acs:sourceip", "acs:sourceip", true},
		{"acs:sourceip2", "acs:sourceip", false},
		{"acs:sourcei", "acs:sourceip", false},
		{"slb:tag/ÉTÉ", "slb:tag/été", true},
		{"slb:tag/été", "slb:tag/ete", false},
		{"slb:tag/\u212a", "slb:tag/k", true}, // KELVIN SIGN lowers to k
		{"slb:tag/\xff", "slb:tag/\ufffd", true},
	} {
		if got := sameKey(c.k, c.lower); got != c.want {
			t.Errorf("sameKey(%q, %q) = %v", c.k, c.lower, got)
		}
		if want := CanonicalKey(c.k) == c.lower; want != c.want {
			t.Errorf("test case %q %q disagrees with strings.ToLower", c.k, c.lower)
		}
	}
}

func mustParse(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return p
}
