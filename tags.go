package slbcert

import (
	"strings"
)

// CheckTagsToWrite applies the tag rules of Alibaba's UploadServerCertificate
// page (Tag.N.Key, Tag.N.Value:
// https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate)
// to tags about to be written, in the documented order — a missing key,
// then key rules, then value rules, then the count — and returns the first
// failure: MissingParam.TagKey, InvalidParam.TagKey (over 64 characters,
// starting "aliyun" or "acs:", holding "http://" or "https://"),
// InvalidParam.TagValue (the same over 128), SizeLimitExceeded.Tag (more
// than MaxTagsPerResource). param names the parameters in messages: "Tag"
// for SLB, "Tags" for CAS. An absent key arrives as "".
func CheckTagsToWrite(tags []Tag, param string) error {
	for _, t := range tags {
		if t.Key == "" {
			return Errorf(EMissingTagKey, "The parameter %s.N.Key is mandatory and must not be empty.", param)
		}
	}
	for _, t := range tags {
		if len([]rune(t.Key)) > 64 || reservedTagText(t.Key) {
			return Errorf(EInvalidTagKey, "The tag key %q is invalid: at most 64 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Key)
		}
	}
	for _, t := range tags {
		if len([]rune(t.Value)) > 128 || reservedTagText(t.Value) {
			return Errorf(EInvalidTagValue, "The tag value %q is invalid: at most 128 characters, not starting with \"aliyun\" or \"acs:\", without \"http://\" or \"https://\".", t.Value)
		}
	}
	return CheckTagCount(len(tags))
}

// CheckTagCount refuses more than MaxTagsPerResource tags in one request:
// SizeLimitExceeded.Tag.
func CheckTagCount(n int) error {
	if n > MaxTagsPerResource {
		return Errorf(ETagSizeLimit, "At most %d tags may be given in one request; got %d.", MaxTagsPerResource, n)
	}
	return nil
}

func reservedTagText(s string) bool {
	return strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") ||
		strings.Contains(s, "http://") || strings.Contains(s, "https://")
}

// DedupeTags keeps one tag per key: the last value given, at the position
// the key first appeared.
func DedupeTags(tags []Tag) []Tag {
	out := make([]Tag, 0, len(tags))
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

// TagFilter is one tag condition of a CertificateFilter.
type TagFilter struct {
	Key           string
	Value         string
	MatchAnyValue bool
}
