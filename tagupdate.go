package slbcert

// ApplyTags returns tags after removing the keys in remove (every tag when
// removeAll) and then setting each of set: an existing key keeps its place
// and takes the new value, a new key goes last — the order
// Store.UpdateTags keeps.
func ApplyTags(tags, set []Tag, remove []string, removeAll bool) []Tag {
	out := []Tag{}
	if !removeAll {
		gone := map[string]bool{}
		for _, k := range remove {
			gone[k] = true
		}
		for _, tg := range tags {
			if !gone[tg.Key] {
				out = append(out, tg)
			}
		}
	}
	for _, s := range set {
		replaced := false
		for i := range out {
			if out[i].Key == s.Key {
				out[i].Value, replaced = s.Value, true
			}
		}
		if !replaced {
			out = append(out, s)
		}
	}
	return out
}
