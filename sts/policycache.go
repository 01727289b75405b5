package sts

import (
	"sync"

	"slbcert/policy"
)

// maxCachedPolicies bounds the session-policy cache; past it the cache
// starts over (sessions are few and policies repeat, so it rarely fills).
const maxCachedPolicies = 1024

// policyCache keeps session policies parsed, by their compacted text: a
// token carries the text, which was checked when the token was issued and
// cannot change (the token is sealed), and parsing it took most of a
// token check's time. Parsed policies are immutable and safe to share.
type policyCache struct {
	mu sync.Mutex
	m  map[string]*policy.Policy
}

// parse returns text parsed, from the cache or by policy.Parse.
func (c *policyCache) parse(text string) (*policy.Policy, error) {
	c.mu.Lock()
	p, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := policy.Parse([]byte(text))
	if err != nil {
		return nil, err
	}
	c.put(text, p)
	return p, nil
}

// put remembers p as the parse of text.
func (c *policyCache) put(text string, p *policy.Policy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPolicies {
		c.m = map[string]*policy.Policy{}
	}
	c.m[text] = p
}
