package ecs

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"slbcert"
)

// Parameters arrive as the text the client sent (the wire does not parse
// numbers or flags, so that the checks run in the documented order); these
// helpers read them with ECS's codes.

// parseBool reads an optional Boolean: true or false in any case; "" is def.
func parseBool(param, v string, def bool) (bool, error) {
	switch {
	case v == "":
		return def, nil
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, errorf(slbcert.EInvalidParameter, "The specified parameter %s is not valid: %q is neither true nor false.", param, v)
}

// parseInt reads an optional integer in [min, max]; "" is def. Anything
// else is code (InvalidParameter when code is "").
func parseInt(param, v string, def, min, max int, code string) (int, error) {
	if v == "" {
		return def, nil
	}
	if code == "" {
		code = slbcert.EInvalidParameter
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min || n > max {
		return 0, errorf(code, "The specified parameter %s is not valid: %q is not an integer from %d to %d.", param, v, min, max)
	}
	return n, nil
}

// parseIDList reads a JSON array of ids, as InstanceIds, DiskIds and
// SecurityGroupIds are sent ("[\"i-1\",\"i-2\"]"); "" is none. A plain
// id, or ids separated by commas, is accepted too.
func parseIDList(param, v string, max int) ([]string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	var ids []string
	if strings.HasPrefix(v, "[") {
		if err := json.Unmarshal([]byte(v), &ids); err != nil {
			return nil, errorf(EIDList, "The specified parameter %s is not valid: it must be a JSON array of strings.", param)
		}
	} else {
		for _, id := range strings.Split(v, ",") {
			ids = append(ids, strings.TrimSpace(id))
		}
	}
	out := ids[:0]
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	if len(out) > max {
		return nil, errorf(EIDList, "The specified parameter %s is not valid: at most %d ids.", param, max)
	}
	return out, nil
}

// namePattern: ECS names (instances, security groups, disks) start with a
// letter (Latin or CJK) and go on with letters, digits, ':', '_', '.', '-'
// (RunInstances and CreateSecurityGroup pages).
var namePattern = regexp.MustCompile(`^[\p{L}][\p{L}\p{N}:_.\-]*$`)

// checkName refuses a non-empty name that breaks the rule: 2–128
// characters of namePattern, not starting with http:// or https://.
func checkName(code, param, v string) error {
	if v == "" {
		return nil
	}
	n := len([]rune(v))
	if n < 2 || n > 128 || !namePattern.MatchString(v) || hasURLPrefix(v) {
		return errorf(code, "The specified parameter %s is not valid: 2 to 128 characters, starting with a letter, then letters, digits, ':', '_', '.' or '-', not starting with http:// or https://.", param)
	}
	return nil
}

// checkDescription refuses a non-empty description of other than 2–256
// characters, or starting with http:// or https://.
func checkDescription(code, param, v string) error {
	if v == "" {
		return nil
	}
	if n := len([]rune(v)); n < 2 || n > 256 || hasURLPrefix(v) {
		return errorf(code, "The specified parameter %s is not valid: 2 to 256 characters, not starting with http:// or https://.", param)
	}
	return nil
}

func hasURLPrefix(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// checkTags applies ECS's tag rules to tags about to be written (the
// TagResources page): a key of 1–128 characters, a value of at most 128,
// neither starting with "aliyun" or "acs:" nor holding "http://" or
// "https://"; at most 20; no key twice.
func checkTags(tags []slbcert.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == "" || len([]rune(t.Key)) > 128 || reservedTagText(t.Key) {
			return errorf(ETagKey, "The specified tag key %q is not valid: 1 to 128 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Key)
		}
		if len([]rune(t.Value)) > 128 || reservedTagText(t.Value) {
			return errorf(ETagValue, "The specified tag value %q is not valid: at most 128 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Value)
		}
		if seen[t.Key] {
			return errorf("Duplicate.TagKey", "The Tag.N.Key contain duplicate key: %q.", t.Key)
		}
		seen[t.Key] = true
	}
	if len(tags) > slbcert.MaxTagsPerResource {
		return errorf(ETagCount, "The maximum number of tags is exceeded: at most %d; got %d.", slbcert.MaxTagsPerResource, len(tags))
	}
	return nil
}

func reservedTagText(s string) bool {
	return strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") ||
		strings.Contains(s, "http://") || strings.Contains(s, "https://")
}

// checkTagFilters checks Tag.N filters of a Describe: at most 20, each
// with a key.
func checkTagFilters(tags []slbcert.Tag) error {
	if len(tags) > slbcert.MaxTagsPerResource {
		return errorf(ETagCount, "The maximum number of tags is exceeded: at most %d; got %d.", slbcert.MaxTagsPerResource, len(tags))
	}
	for _, t := range tags {
		if t.Key == "" {
			return errorf(ETagKey, "The specified Tag.N.Key must not be empty.")
		}
	}
	return nil
}

// hasTags reports whether have holds every filter (key and value equal;
// a filter without a value matches any value of its key).
func hasTags(have, filters []slbcert.Tag) bool {
	for _, f := range filters {
		found := false
		for _, t := range have {
			if t.Key == f.Key && (f.Value == "" || t.Value == f.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Page is a page request: PageNumber/PageSize, or MaxResults/NextToken.
type Page struct {
	PageNumber, PageSize  string
	MaxResults, NextToken string
}

// pageWindow is where a page starts and how long it is, and whether it was
// asked for with NextToken/MaxResults.
type pageWindow struct {
	offset, size int
	number       int  // PageNumber (1-based), in number mode
	tokens       bool // MaxResults or NextToken given
}

// window reads p: PageNumber ≥ 1 (default 1) and PageSize 1–maxSize
// (default defSize); or, when MaxResults or NextToken is given,
// MaxResults 1–maxResults (default defResults) and an opaque NextToken.
func (p Page) window(defSize, maxSize, defResults, maxResults int) (pageWindow, error) {
	if p.MaxResults != "" || p.NextToken != "" {
		n, err := parseInt("MaxResults", p.MaxResults, defResults, 1, maxResults, EMaxResults)
		if err != nil {
			return pageWindow{}, err
		}
		off, err := tokenOffset(p.NextToken)
		if err != nil {
			return pageWindow{}, err
		}
		return pageWindow{offset: off, size: n, tokens: true}, nil
	}
	num, err := parseInt("PageNumber", p.PageNumber, 1, 1, 1<<30, EPageNumber)
	if err != nil {
		return pageWindow{}, err
	}
	size, err := parseInt("PageSize", p.PageSize, defSize, 1, maxSize, EPageSize)
	if err != nil {
		return pageWindow{}, err
	}
	return pageWindow{offset: (num - 1) * size, size: size, number: num}, nil
}

// Paged is one page of a list: its items, the total, and how to ask for
// the next page.
type Paged[T any] struct {
	Items      []T
	TotalCount int
	PageNumber int
	PageSize   int
	// NextToken is the token of the next page, "" on the last one.
	NextToken string
}

// paginate cuts list by w.
func paginate[T any](list []T, w pageWindow) Paged[T] {
	out := Paged[T]{TotalCount: len(list), PageNumber: w.number, PageSize: w.size, Items: []T{}}
	if w.offset < len(list) {
		end := min(len(list), w.offset+w.size)
		out.Items = list[w.offset:end]
		if w.tokens && end < len(list) {
			out.NextToken = offsetToken(end)
		}
	}
	if w.tokens {
		out.PageNumber = 0
	}
	return out
}

// offsetToken and tokenOffset make and read NextToken: opaque to clients.
func offsetToken(off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ecs:" + strconv.Itoa(off)))
}

func tokenOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		if digits, ok := strings.CutPrefix(string(b), "ecs:"); ok {
			if n, err := strconv.Atoi(digits); err == nil && n >= 0 {
				return n, nil
			}
		}
	}
	return 0, errorf(ENextToken, "The specified NextToken is not valid.")
}
