package catalog

import (
	"strings"

	"slbcert"
)

// checkTags applies the contract's tag rules to tags about to be written
// (cas-api.md §2.1 [CHOICE]: as for SLB), in SLB's order: a missing key,
// then key rules, then value rules, then the count.
func checkTags(tags []slbcert.Tag) error {
	for _, t := range tags {
		if t.Key == "" {
			return slbcert.Errorf(slbcert.EMissingTagKey, "The parameter Tags.N.Key is mandatory and must not be empty.")
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
	if len(tags) > slbcert.MaxTagsPerResource {
		return slbcert.Errorf(slbcert.ETagSizeLimit, "At most %d tags may be given in one request; got %d.", slbcert.MaxTagsPerResource, len(tags))
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
