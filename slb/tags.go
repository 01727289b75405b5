package slb

import "slbcert"

// checkTagsToWrite applies the tag rules to Tag.N about to be written.
func checkTagsToWrite(tags []slbcert.Tag) error { return slbcert.CheckTagsToWrite(tags, "Tag") }

// checkTagCount refuses more than 20 Tag.N parameters in one request.
func checkTagCount(n int) error { return slbcert.CheckTagCount(n) }

// dedupeTags keeps one tag per key: the last value given, at the position
// the key first appeared.
func dedupeTags(tags []slbcert.Tag) []slbcert.Tag { return slbcert.DedupeTags(tags) }
