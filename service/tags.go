package service

import (
	"strings"

	"slbcert"
)

// checkTagsToWrite applies the tag rules to tags about to be written, in
// the documented order: a missing key, then key rules, then value rules,
// then the count. Tag.N parameters arrive as given, an absent key as "".
func checkTagsToWrite(tags []slbcert.Tag) error {
	for _, t := range tags {
		if t.Key == "" {
			return slbcert.Errorf(slbcert.EMissingTagKey, "The parameter Tag.N.Key is mandatory and must not be empty.")
		}
	}
	for _, t := range tags {
		if len([]rune(t.Key)) > 64 || reservedTagText(t.Key) {
			return slbcert.Errorf(slbcert.EInvalidTagKey, "The tag key %q is invalid: at most 64 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Key)
		}
	}
	for _, t := range tags {
		if len([]rune(t.Value)) > 128 || reservedTagText(t.Value) {
			return slbcert.Errorf(slbcert.EInvalidTagValue, "The tag value %q is invalid: at most 128 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Value)
		}
	}
	return checkTagCount(len(tags))
}

// checkTagCount refuses more than 20 Tag.N parameters in one request.
func checkTagCount(n int) error {
	if n > slbcert.MaxTagsPerResource {
		return slbcert.Errorf(slbcert.ETagSizeLimit, "At most %d tags may be given in one request; got %d.", slbcert.MaxTagsPerResource, n)
	}
	return nil
}

func reservedTagText(s string) bool {
	return strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") ||
		strings.Contains(s, "http://") || strings.Contains(s, "https://")
}

// dedupeTags keeps one tag per key: the last value given, at the position
// the key first appeared.
func dedupeTags(tags []slbcert.Tag) []slbcert.Tag {
	out := make([]slbcert.Tag, 0, len(tags))
	at := make(map[string]int, len(tags))
	for _, t := range tags {
		if i, ok := at[t.Key]; ok {
			out[i].Value = t.Value
			continue
		}
		at[t.Key] = len(out)
		out = append(out, t)
	}
	return out
}
