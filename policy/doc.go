// Package policy parses and evaluates Alibaba Cloud RAM policies: the
// identity-based policies attached to RAM users and roles (and given as an
// STS session policy), and roles' trust policies. It is pure: the server
// decides which policies apply to a principal and builds each request's
// action, resource ARN and condition context; this package only says yes
// or no, and which statement said it.
//
//	p, err := policy.Parse(doc)
//	…
//	d := policy.Evaluate([]*policy.Policy{p}, policy.Request{
//		Action:   "slb:DeleteServerCertificate",
//		Resource: "acs:slb:cn-hangzhou:1000000000000001:certificate/" + id,
//		Context: map[string][]string{
//			policy.KeySourceIP:        {"203.0.113.7"},
//			policy.KeyCurrentTime:     {"2026-03-01T10:00:00Z"},
//			policy.KeySecureTransport: {"true"},
//			policy.TagKey("env"):      {"prod"},
//		},
//	})
//
// # Documents
//
//	{"Version": "1", "Statement": [
//	  {"Effect": "Allow", "Action": ["slb:UploadServerCertificate", "slb:Describe*"], "Resource": "*"},
//	  {"Effect": "Deny", "Action": "slb:Delete*", "Resource": "acs:slb:*:*:certificate/*",
//	   "Condition": {"StringEquals": {"slb:tag/env": "prod"}}}]}
//
// The elements:
//
//   - Version is required and is the string "1".
//   - Statement is a non-empty array of statements.
//   - Effect is "Allow" or "Deny".
//   - Exactly one of Action and NotAction, exactly one of Resource and
//     NotResource, each a string or a non-empty array of strings. Resource is
//     required, as Alibaba Cloud requires it: a statement without one is an
//     error, not a statement on every resource.
//   - An action is "*" or "<service>:<action>"; a resource is "*" or an ARN
//     "acs:<service>:<region>:<account>:<relative-id>". Anything else (an AWS
//     ARN, a bare API name, white space) could never match, so it is an error.
//   - Condition is optional: {Operator: {Key: value or [values]}}. A value
//     is a string, a number or a boolean; {} means no condition.
//
// Parse is strict where a lenient reading would silently change what a
// policy allows. Element names and Effect values are case-sensitive, as
// Alibaba Cloud documents them; a miscased one ("allow", "statement") is an
// error that gives the right spelling. An unknown element (Sid, Id) is an
// error, Principal too (it belongs in trust and resource policies).
//
// A role's trust policy (who may assume it) is read by ParseTrust instead:
// the same grammar with Principal required and Resource refused, evaluated
// by TrustPolicy.Evaluate against a Caller. A name
// given twice in one object is an error: encoding/json would keep the last.
// Errors name the element at fault, e.g.
//
//	policy: Statement[1].Condition.IpAddress["acs:SourceIp"]: "10.0.0.256" is not an IP address or CIDR block
//
// A document may also be given as a JSON string that holds it, as the RAM
// API's PolicyDocument parameter is. Policy implements json.Unmarshaler, so
// a configuration file can embed documents as objects (or such strings) in
// a field of type *Policy; MarshalJSON gives the document back, compacted.
//
// # Wildcards
//
// In Action, NotAction, Resource, NotResource and the values of StringLike
// and StringNotLike, "*" matches any run of characters, none included, and
// ':' and '/' included; "?" matches exactly one character (one UTF-8
// sequence). There is no escape: a policy cannot name a literal '*' or '?'.
//
// Actions match without regard to ASCII case ("slb:describe*" matches
// "slb:DescribeServerCertificates"): API names are ASCII and Alibaba Cloud
// treats them so. Resources match with regard to case, except their first
// two ':'-separated fields, "acs" and the service name, which are compared
// lower-cased in both pattern and ARN ("ACS:SLB:*" matches
// "acs:slb:cn-hangzhou:…"). Region ids are lower case by definition and
// resource ids are case-sensitive, so "certificate/ABC" does not match
// "certificate/abc". StringLike is case-sensitive, like StringEquals.
//
// Patterns are compiled once, by Parse: "*" and names without wildcards
// need one comparison, patterns with stars only are matched part by part
// without backtracking, and the rest by a matcher that backtracks to the
// last star only (time proportional to the pattern's length times the
// subject's at worst). No regular expression is involved.
//
// # Conditions
//
//	StringEquals, StringNotEquals                     exact
//	StringEqualsIgnoreCase, StringNotEqualsIgnoreCase Unicode case folding
//	StringLike, StringNotLike                         wildcards as above, case-sensitive
//	NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals,
//	NumericGreaterThan, NumericGreaterThanEquals      float64; "3" equals "3.0"
//	DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals,
//	DateGreaterThan, DateGreaterThanEquals            instants, to the nanosecond
//	Bool                                              "true" or "false", any case
//	IpAddress, NotIpAddress                           IPv4 and IPv6 addresses and CIDR blocks
//
// Operator names are exact. An unknown operator is an error; so are
// ForAnyValue:/ForAllValues: qualifiers, …IfExists and Null, which this
// server does not implement (a policy relying on them would be misread).
// Policy values are converted when parsed, so a value that does not fit its
// operator ("ten" for NumericLessThan) is an error there, not a silent
// mismatch later. Dates are ISO 8601 with a zone ("2026-01-02T15:04:05Z",
// "2026-01-02T23:04:05.5+08:00", seconds optional), a bare day
// ("2026-01-02", midnight UTC) or Unix seconds ("1767225600" or the number);
// a time without a zone is refused, as it would mean something else on
// every server. IP values are an address (a block of one) or a CIDR block;
// host bits set in a block are ignored ("10.1.2.3/8" is 10.0.0.0/8); an
// IPv4-mapped IPv6 block ("::ffff:10.0.0.0/104") is the IPv4 block it maps,
// and an IPv4-mapped client address is compared as IPv4, so a dual-stack
// listener does not let a client past an IPv4 rule.
//
// Condition keys match without regard to case ("acs:SourceIp",
// "ACS:sourceip"), the tag name of slb:tag/<key> included, as Alibaba Cloud
// treats condition keys. In the request context, keys that differ only in
// case are one key: their values are pooled. A context whose keys are all
// lower case (as KeySourceIP, TagKey and CanonicalKey make them) is searched
// with one map access per condition; otherwise each condition compares its
// key with every context key.
//
// How a condition holds:
//
//   - Within one operator, keys are ANDed; the operators of a statement are
//     ANDed too.
//   - A positive operator holds when some context value of its key matches
//     some of its values (values are ORed; a context key may have several
//     values).
//   - A negated operator (StringNotEquals, StringNotEqualsIgnoreCase,
//     StringNotLike, NumericNotEquals, DateNotEquals, NotIpAddress) is the
//     negation of its positive form: it holds when no context value matches
//     any of its values. So NotIpAddress ["10.0.0.0/8", "192.168.0.0/16"]
//     means "in neither block", as in AWS.
//   - A key absent from the context matches nothing: the positive operators
//     do not hold, the negated ones do. This is the AWS rule; it makes
//     {"Effect": "Deny", "Condition": {"StringNotEquals": {"slb:tag/env":
//     "dev"}}} deny on untagged certificates too, which is what such a
//     guard means. Operators without a negated form (ordering, Bool) do not
//     hold.
//   - A context value that cannot be read as the operator's type (a date
//     that is not one, "localhost" for an address) matches nothing, with the
//     same consequences as an absent key.
//
// # Evaluation
//
// A statement applies to a request when its Action matches the action (or
// its NotAction does not), its Resource matches the resource (or its
// NotResource does not) and every condition holds. Evaluate returns
// ExplicitDeny if a Deny statement of any policy applies, else Allow if an
// Allow statement does, else ImplicitDeny: deny by default, an explicit Deny
// wins. The order of policies and statements does not change the decision;
// it only decides which statement EvaluateDetail reports (the first Deny
// that applies, or the first Allow when no Deny does).
//
// Evaluation allocates nothing for well-formed requests, so a request on
// several resources (TagResources on three certificates) is simply one
// Evaluate per resource, each with that resource's tags in its context.
// A Policy is immutable and safe for concurrent use.
package policy
