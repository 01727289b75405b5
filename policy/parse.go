package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Policy is a parsed RAM policy document, ready to be evaluated. It is
// immutable, so one Policy may serve any number of concurrent evaluations.
// The zero Policy has no statement and so allows nothing.
type Policy struct {
	doc        []byte // the document, compacted
	statements []statement
	hasDeny    bool
}

// statement is one element of Statement, with its patterns compiled.
type statement struct {
	deny        bool
	notAction   bool // actions lists NotAction
	actions     []pattern
	notResource bool // resources lists NotResource
	resources   []pattern
	conditions  []condition
	// principals are a trust policy statement's Principal; nil in
	// identity policies, which have Resource instead.
	principals *principalSet
}

// docKind tells the two kinds of document apart: they differ in whom and
// what a statement names.
type docKind uint8

const (
	// identityDoc is a policy attached to a RAM user or role: statements
	// name resources and never a Principal.
	identityDoc docKind = iota
	// trustDoc is a role's trust policy: statements name principals and
	// never a Resource (the role is the resource).
	trustDoc
)

// Parse parses a RAM policy document:
//
//	{"Version": "1", "Statement": [{"Effect": "Allow", "Action": …, "Resource": …}]}
//
// doc may also be a JSON string holding the document, as the RAM API passes
// PolicyDocument. The error, prefixed "policy: ", names the element at fault
// (Statement[2].Condition.IpAddress["acs:SourceIp"]) and what is wrong with it.
func Parse(doc []byte) (*Policy, error) {
	p, err := parse(doc, identityDoc)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return p, nil
}

// UnmarshalJSON parses a policy document embedded in a larger JSON file (as
// an object, or as a string holding one), so that a struct field of type
// Policy or *Policy decodes straight into an evaluable policy.
func (p *Policy) UnmarshalJSON(data []byte) error {
	q, err := Parse(data)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// MarshalJSON returns the document the policy was parsed from, compacted;
// null for the zero Policy.
func (p *Policy) MarshalJSON() ([]byte, error) {
	if p.doc == nil {
		return []byte("null"), nil
	}
	return bytes.Clone(p.doc), nil
}

func parse(doc []byte, kind docKind) (*Policy, error) {
	doc = bytes.TrimSpace(doc)
	inString := ""
	if len(doc) > 0 && doc[0] == '"' {
		var s string
		if err := json.Unmarshal(doc, &s); err != nil {
			return nil, syntaxError("", err)
		}
		doc = bytes.TrimSpace([]byte(s))
		inString = " (in the string)"
	}
	var raw json.RawMessage
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, syntaxError(inString, err)
	}
	fields, err := objectFields(raw)
	if err != nil {
		return nil, fmt.Errorf("the document must be a JSON object: %w", err)
	}
	var version, statements json.RawMessage
	for _, f := range fields {
		switch f.name {
		case "Version":
			version = f.value
		case "Statement":
			statements = f.value
		default:
			return nil, unknownElement(f.name, "a policy has Version and Statement", "Version", "Statement")
		}
	}
	var v string
	if version == nil {
		return nil, errors.New(`Version is missing: it must be "1"`)
	}
	if json.Unmarshal(version, &v) != nil || v != "1" {
		return nil, fmt.Errorf(`Version must be the string "1", not %s`, version)
	}
	if statements == nil {
		return nil, errors.New("Statement is missing")
	}
	if statements[0] != '[' {
		return nil, errors.New("Statement must be an array of statements")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(statements, &list); err != nil {
		return nil, fmt.Errorf("Statement: %v", err)
	}
	if len(list) == 0 {
		return nil, errors.New("Statement is empty: a policy needs at least one statement")
	}
	p := &Policy{statements: make([]statement, len(list))}
	for i, s := range list {
		if err := parseStatement(s, &p.statements[i], kind); err != nil {
			return nil, at(fmt.Sprintf("Statement[%d]", i), err)
		}
		p.hasDeny = p.hasDeny || p.statements[i].deny
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	p.doc = compact.Bytes()
	return p, nil
}

// syntaxError reports a document that is not JSON, with the offset of the
// fault when encoding/json gives one.
func syntaxError(where string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("not valid JSON%s: %v at byte %d", where, err, se.Offset)
	}
	return fmt.Errorf("not valid JSON%s: %v", where, err)
}

// statementElements is the hint given for an unknown statement element.
const statementElements = "a statement has Effect, Action or NotAction, Resource or NotResource, and Condition"

func parseStatement(raw json.RawMessage, st *statement, kind docKind) error {
	fields, err := objectFields(raw)
	if err != nil {
		return fmt.Errorf("must be a JSON object: %w", err)
	}
	var effect, action, notAction, resource, notResource, cond, principal json.RawMessage
	for _, f := range fields {
		switch f.name {
		case "Effect":
			effect = f.value
		case "Action":
			action = f.value
		case "NotAction":
			notAction = f.value
		case "Resource":
			resource = f.value
		case "NotResource":
			notResource = f.value
		case "Condition":
			cond = f.value
		case "Principal":
			if kind == identityDoc {
				return errors.New("Principal belongs in trust and resource policies, not in a policy attached to a RAM user")
			}
			principal = f.value
		default:
			if kind == trustDoc {
				return unknownElement(f.name, trustStatementElements,
					"Effect", "Action", "NotAction", "Principal", "Condition")
			}
			return unknownElement(f.name, statementElements,
				"Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")
		}
	}

	if effect == nil {
		return errors.New(`Effect is missing: it must be "Allow" or "Deny"`)
	}
	var e string
	_ = json.Unmarshal(effect, &e)
	switch e {
	case "Allow":
	case "Deny":
		st.deny = true
	default:
		if strings.EqualFold(e, "Allow") || strings.EqualFold(e, "Deny") {
			return at("Effect", fmt.Errorf("write %q, not %s (the value is case-sensitive)", strings.ToUpper(e[:1])+strings.ToLower(e[1:]), effect))
		}
		return at("Effect", fmt.Errorf(`must be "Allow" or "Deny", not %s`, effect))
	}

	name, list, err := oneOf("Action", action, "NotAction", notAction)
	if err != nil {
		return err
	}
	st.notAction = name == "NotAction"
	for i, a := range list {
		if err := checkAction(a); err != nil {
			return at(fmt.Sprintf("%s[%d]", name, i), fmt.Errorf("%q: %w", a, err))
		}
		st.actions = append(st.actions, compilePattern(a, len(a)))
	}

	if kind == trustDoc {
		if err := trustTarget(principal, resource, notResource, st); err != nil {
			return err
		}
	} else if err := resources(resource, notResource, st); err != nil {
		return err
	}

	if cond != nil {
		if st.conditions, err = parseConditions(cond); err != nil {
			return at("Condition", err)
		}
	}
	return nil
}

// resources reads an identity statement's Resource or NotResource.
func resources(resource, notResource json.RawMessage, st *statement) error {
	name, list, err := oneOf("Resource", resource, "NotResource", notResource)
	if err != nil {
		return err
	}
	st.notResource = name == "NotResource"
	for i, r := range list {
		if err := checkResource(r); err != nil {
			return at(fmt.Sprintf("%s[%d]", name, i), fmt.Errorf("%q: %w", r, err))
		}
		st.resources = append(st.resources, compilePattern(r, arnFold(r)))
	}
	return nil
}

// oneOf returns the patterns of whichever of the two exclusive elements is
// present, and its name; exactly one must be.
func oneOf(name string, value json.RawMessage, notName string, notValue json.RawMessage) (string, []string, error) {
	switch {
	case value != nil && notValue != nil:
		return "", nil, fmt.Errorf("has both %s and %s: use one", name, notName)
	case value == nil && notValue == nil:
		return "", nil, fmt.Errorf("needs %s or %s", name, notName)
	case notValue != nil:
		name, value = notName, notValue
	}
	list, err := stringList(value)
	if err != nil {
		return "", nil, fmt.Errorf("%s must be a string or an array of strings", name)
	}
	if len(list) == 0 {
		return "", nil, fmt.Errorf("%s is empty", name)
	}
	return name, list, nil
}

// checkAction accepts "*" and "<service>:<action>", wildcards allowed in both.
func checkAction(a string) error {
	if strings.ContainsFunc(a, unicode.IsSpace) {
		return errors.New("an action name has no white space")
	}
	if strings.Trim(a, "*") == "" && a != "" {
		return nil
	}
	if i := strings.IndexByte(a, ':'); i <= 0 || i == len(a)-1 {
		return errors.New(`an action is "*" or "<service>:<action>", e.g. "slb:Describe*"`)
	}
	return nil
}

// checkResource accepts "*" and ARNs, "acs:<service>:<region>:<account>:<relative-id>".
func checkResource(r string) error {
	if r != strings.TrimSpace(r) {
		return errors.New("a resource has no white space around it")
	}
	if strings.Trim(r, "*") == "" && r != "" {
		return nil
	}
	if len(r) < 4 || !strings.EqualFold(r[:4], "acs:") {
		return errors.New(`a resource is "*" or an ARN "acs:<service>:<region>:<account>:<relative-id>", e.g. "acs:slb:*:*:certificate/*"`)
	}
	return nil
}

// parseConditions parses {Operator: {Key: value or [values]}}.
func parseConditions(raw json.RawMessage) ([]condition, error) {
	ops, err := objectFields(raw)
	if err != nil {
		return nil, fmt.Errorf("must be an object of condition operators: %w", err)
	}
	var conds []condition
	for _, o := range ops {
		op, ok := operators[o.name]
		if !ok {
			return nil, unknownOperator(o.name)
		}
		keys, err := objectFields(o.value)
		if err != nil {
			return nil, at(o.name, fmt.Errorf("must be an object of condition keys: %w", err))
		}
		if len(keys) == 0 {
			return nil, at(o.name, errors.New("has no condition key"))
		}
		for _, k := range keys {
			if strings.TrimSpace(k.name) == "" {
				return nil, at(o.name, errors.New("a condition key is empty"))
			}
			values, err := conditionValues(k.value)
			if err == nil && len(values) == 0 {
				err = errors.New("no value")
			}
			var c condition
			if err == nil {
				c, err = newCondition(op, k.name, values)
			}
			if err != nil {
				return nil, at(o.name, at(fmt.Sprintf("[%q]", k.name), err))
			}
			conds = append(conds, c)
		}
	}
	return conds, nil
}

// conditionValues reads a condition's value: a string, number or boolean, or
// an array of them. Numbers and booleans are kept as their JSON text.
func conditionValues(raw json.RawMessage) ([]string, error) {
	if raw[0] != '[' {
		v, err := conditionValue(raw)
		if err != nil {
			return nil, err
		}
		return []string{v}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	values := make([]string, 0, len(list))
	for _, r := range list {
		v, err := conditionValue(r)
		if err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, nil
}

func conditionValue(raw json.RawMessage) (string, error) {
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '{', '[', 'n':
		return "", fmt.Errorf("a value is a string, a number or a boolean, not %s", raw)
	}
	return string(raw), nil // a number, true or false
}

// unknownOperator explains why name is not a condition operator.
func unknownOperator(name string) error {
	for known := range operators {
		if strings.EqualFold(name, known) {
			return fmt.Errorf("operator %q: write %q (operator names are case-sensitive)", name, known)
		}
	}
	if strings.HasPrefix(name, "ForAnyValue:") || strings.HasPrefix(name, "ForAllValues:") ||
		strings.HasSuffix(name, "IfExists") || name == "Null" {
		return fmt.Errorf("operator %q is not supported", name)
	}
	return fmt.Errorf("unknown condition operator %q", name)
}

// unknownElement explains why name is not an element of a policy or
// statement: a miscased known one gets its spelling.
func unknownElement(name, hint string, known ...string) error {
	for _, k := range known {
		if strings.EqualFold(name, k) {
			return fmt.Errorf("element %q: write %q (element names are case-sensitive)", name, k)
		}
	}
	return fmt.Errorf("unknown element %q: %s", name, hint)
}

// field is one member of a JSON object.
type field struct {
	name  string
	value json.RawMessage
}

// objectFields returns the members of the JSON object raw in order. Unlike
// encoding/json's struct decoding it keeps names exact and refuses a name
// given twice: either would silently change what a policy means.
func objectFields(raw json.RawMessage) ([]field, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("got %s", abbreviate(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var fields []field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		for _, f := range fields {
			if f.name == name {
				return nil, fmt.Errorf("%q appears twice", name)
			}
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		fields = append(fields, field{name, v})
	}
	return fields, nil
}

// abbreviate returns raw for an error message, shortened if long.
func abbreviate(raw json.RawMessage) string {
	if len(raw) > 40 {
		return strings.ToValidUTF8(string(raw[:37]), "") + "..."
	}
	return string(raw)
}

// stringList reads a string or an array of strings.
func stringList(raw json.RawMessage) ([]string, error) {
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return []string{s}, err
	}
	if raw[0] != '[' {
		return nil, errors.New("not a string or an array")
	}
	var list []string
	err := json.Unmarshal(raw, &list)
	return list, err
}

// pathError is an error in the element at path, e.g.
// Statement[1].Condition.IpAddress["acs:SourceIp"].
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// at places err in the element named elem, prefixing the path err already has.
func at(elem string, err error) error {
	if pe, ok := err.(*pathError); ok {
		if !strings.HasPrefix(pe.path, "[") {
			elem += "."
		}
		return &pathError{elem + pe.path, pe.err}
	}
	return &pathError{elem, err}
}
