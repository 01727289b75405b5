package slb

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"slbcert"
)

// Codes of access control lists (Alibaba's CreateAccessControlList,
// AddAccessControlListEntry and DeleteAccessControlList API pages; where
// they are silent, docs/choices.md "Access control lists" says which was
// chosen).
const (
	EACLNotExist          = "AclNotExist"
	EACLInUse             = "OperationFailed.AclBindedWithVip"
	EACLQuota             = "AclExceedLimit"
	EACLNameTaken         = "InvalidParameter.AclName"
	EACLEntryExists       = "InvalidParam.AclEntryExists"
	EACLEntryIllegal      = "AclEntryIllegal"
	EACLEntryVersion      = "IllegalEntry"
	EACLEntryLimit        = "AclEntryExceedLimit"
	EACLEntryEmpty        = "AclEntryEmpty"
	ESourceItemsOverLimit = "SourceItemsQuotaOverLimit"
)

// Limits of ACLs that no quota changes (docs/choices.md, "Access control
// lists").
const (
	maxACLEntriesPerCall     = 50
	maxACLsPerListener       = 3
	maxACLEntriesPerListener = 1000
	maxListenersPerACL       = 50
	maxACLCommentLength      = 256
	maxACLPageSize           = 50
	defaultACLPageSize       = 10
)

// aclARN names an ACL (id "*" for the collection) as RAM policies see it.
func aclARN(regionID, accountID, id string) string {
	return "acs:slb:" + regionID + ":" + accountID + ":acl/" + id
}

// newACLID returns acl- and the region's prefix and 18 characters.
func newACLID(regionID string) string { return "acl-" + regionIDPrefix(regionID) + randomText(18) }

func errACLNotExist(id string) *slbcert.Error {
	return slbcert.Errorf(EACLNotExist, "The specified acl %q does not exist.", id)
}

// aclNamePattern: 1–80 letters (CJK included), digits, '.', '-', '/', '_'.
var aclNamePattern = regexp.MustCompile(`^[A-Za-z0-9\p{Han}._/\-]{1,80}$`)

func checkACLName(name string) error {
	if name == "" {
		return slbcert.MissingParameter("AclName")
	}
	if !aclNamePattern.MatchString(name) {
		return errInvalidValue("AclName", name, "1 to 80 letters, digits, '.', '-', '/' or '_'")
	}
	return nil
}

// CreateAccessControlListInput is CreateAccessControlList's request.
type CreateAccessControlListInput struct {
	// RegionID (required) is where the ACL is.
	RegionID string
	// AclName (required) is 1–80 letters, digits, '.', '-', '/', '_',
	// unique among the account's ACLs of the region; spaces around it are
	// dropped, as Terraform drops them.
	AclName string
	// AddressIPVersion is ipv4 (the default) or ipv6: the family of every
	// entry, and of the load balancers whose listeners may use it.
	AddressIPVersion string
	// ResourceGroupID defaults to the account's default group.
	ResourceGroupID string
	// Tags are Tag.N (at most 20).
	Tags []slbcert.Tag
}

// CreateACL creates an empty ACL (CreateAccessControlList). Quota
// aclsPerRegion (DefaultACLQuota) per account and region.
func (s *Service) CreateACL(ctx context.Context, p *slbcert.Principal, in CreateAccessControlListInput) (*ACL, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := checkTagsToWrite(in.Tags); err != nil {
		return nil, err
	}
	if err := s.authorize(p, "CreateAccessControlList", aclARN(reg.ID, p.Account.ID, "*"), in.Tags); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.AclName)
	if err := checkACLName(name); err != nil {
		return nil, err
	}
	version := "ipv4"
	if in.AddressIPVersion != "" {
		if version, err = choice("AddressIPVersion", in.AddressIPVersion, "ipv4", "ipv6"); err != nil {
			return nil, err
		}
	}
	group, err := p.Account.ResourceGroup(in.ResourceGroupID)
	if err != nil {
		return nil, err
	}
	a := &ACL{ID: newACLID(reg.ID), AccountID: p.Account.ID, RegionID: reg.ID, Name: name, AddressIPVersion: version,
		ResourceGroupID: group, CreateTime: s.now(), Entries: []ACLEntry{}, Tags: dedupeTags(in.Tags)}
	if a.Tags == nil {
		a.Tags = []slbcert.Tag{}
	}
	limit := p.Account.Quota(QuotaACLs, DefaultACLQuota)
	err = store.CreateACL(ctx, a, limit)
	switch {
	case errors.Is(err, slbcert.ErrQuotaExceeded):
		return nil, slbcert.Errorf(EACLQuota, "The number of ACLs in region %s is over the limit of %d.", reg.ID, limit)
	case errors.Is(err, slbcert.ErrAlreadyExists):
		return nil, errACLNameTaken(name)
	case err != nil:
		return nil, storeError(err, nil)
	}
	return a, nil
}

func errACLNameTaken(name string) error {
	return slbcert.Errorf(EACLNameTaken, "The specified AclName %q is already used by another ACL of the region.", name)
}

// acl runs the checks every operation on one ACL starts with: the region
// (required), the AclId, RAM (action on acl/{id}, with the ACL's tags) and
// existence in the account and region. An id that does not exist is
// authorized without tags, so that only a principal allowed to act on it
// learns it is not there.
func (s *Service) acl(ctx context.Context, p *slbcert.Principal, action, regionID, id string) (*ACL, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, regionID)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, slbcert.MissingParameter("AclId")
	}
	found, err := store.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: reg.ID, IDs: []string{id}})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var tags []slbcert.Tag
	if len(found) == 1 {
		tags = found[0].Tags
	}
	if err := s.authorize(p, action, aclARN(reg.ID, p.Account.ID, id), tags); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, errACLNotExist(id)
	}
	return found[0], nil
}

// AccessControlListInput names one ACL: DeleteAccessControlList's request.
type AccessControlListInput struct {
	RegionID string // required
	AclID    string // required
}

// DeleteACL deletes an ACL no listener names (DeleteAccessControlList);
// one in use is OperationFailed.AclBindedWithVip.
func (s *Service) DeleteACL(ctx context.Context, p *slbcert.Principal, in AccessControlListInput) error {
	a, err := s.acl(ctx, p, "DeleteAccessControlList", in.RegionID, in.AclID)
	if err != nil {
		return err
	}
	err = s.LoadBalancers.DeleteACL(ctx, p.Account.ID, a.ID)
	if errors.Is(err, slbcert.ErrInUse) {
		return slbcert.Errorf(EACLInUse, "The ACL has binded with vip: %s is used by a listener; remove it from the listener (or delete the listener) first.", a.ID)
	}
	return storeError(err, errACLNotExist(a.ID))
}

// SetAccessControlListAttributeInput is SetAccessControlListAttribute's
// request.
type SetAccessControlListAttributeInput struct {
	RegionID string // required
	AclID    string // required
	// AclName (required) is the new name, as CreateAccessControlList's.
	AclName string
}

// SetACLAttribute renames an ACL (SetAccessControlListAttribute).
func (s *Service) SetACLAttribute(ctx context.Context, p *slbcert.Principal, in SetAccessControlListAttributeInput) error {
	a, err := s.acl(ctx, p, "SetAccessControlListAttribute", in.RegionID, in.AclID)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(in.AclName)
	if err := checkACLName(name); err != nil {
		return err
	}
	_, err = s.LoadBalancers.UpdateACL(ctx, p.Account.ID, a.ID, func(a *ACL) error { a.Name = name; return nil })
	if errors.Is(err, slbcert.ErrAlreadyExists) {
		return errACLNameTaken(name)
	}
	return storeError(err, errACLNotExist(a.ID))
}

// AccessControlListEntryInput is the request of AddAccessControlListEntry
// and RemoveAccessControlListEntry.
type AccessControlListEntryInput struct {
	RegionID string // required
	AclID    string // required
	// AclEntrys (sic; required) is a JSON list of at most 50
	// {"entry": "10.0.0.0/24", "comment": "…"} (Terraform's single quotes
	// too; keys in any case), read by ParseACLEntries; Remove uses the
	// entries only.
	AclEntrys Param[[]ACLEntry]
}

// AddACLEntries adds entries to an ACL (AddAccessControlListEntry): IPv4
// or IPv6 CIDR blocks (or single addresses) of the ACL's family, each with
// a comment of up to 256 characters, kept as given and in order. An entry
// already in the ACL (the same network, however written) is
// InvalidParam.AclEntryExists; one given twice in the call is added once.
// Quota entriesPerACL (DefaultACLEntryQuota). The listeners using the ACL
// serve the new entries when the call answers.
func (s *Service) AddACLEntries(ctx context.Context, p *slbcert.Principal, in AccessControlListEntryInput) error {
	a, err := s.acl(ctx, p, "AddAccessControlListEntry", in.RegionID, in.AclID)
	if err != nil {
		return err
	}
	add, err := aclEntries(in.AclEntrys, a.AddressIPVersion, true)
	if err != nil {
		return err
	}
	limit := p.Account.Quota(QuotaACLEntries, DefaultACLEntryQuota)
	_, err = s.LoadBalancers.UpdateACL(ctx, p.Account.ID, a.ID, func(a *ACL) error {
		have := map[netip.Prefix]bool{}
		for _, e := range a.Entries {
			if n, ok := entryNetwork(e.Entry); ok {
				have[n] = true
			}
		}
		for _, e := range add {
			n, _ := entryNetwork(e.Entry)
			if have[n] {
				return slbcert.Errorf(EACLEntryExists, "The specified aclEntry already exists in the acl: %s.", e.Entry)
			}
		}
		for _, e := range add {
			n, _ := entryNetwork(e.Entry)
			if have[n] {
				continue // given twice in this call
			}
			have[n] = true
			a.Entries = append(a.Entries, e)
		}
		if len(a.Entries) > limit {
			return slbcert.Errorf(EACLEntryLimit, "The maximum number of ACL entries is exceeded: an ACL holds at most %d.", limit)
		}
		return nil
	})
	return s.served(ctx, aclWriteError(err, a.ID))
}

// RemoveACLEntries removes entries from an ACL
// (RemoveAccessControlListEntry); entries it does not hold are ignored. An
// ACL without entries is AclEntryEmpty.
func (s *Service) RemoveACLEntries(ctx context.Context, p *slbcert.Principal, in AccessControlListEntryInput) error {
	a, err := s.acl(ctx, p, "RemoveAccessControlListEntry", in.RegionID, in.AclID)
	if err != nil {
		return err
	}
	remove, err := aclEntries(in.AclEntrys, a.AddressIPVersion, false)
	if err != nil {
		return err
	}
	_, err = s.LoadBalancers.UpdateACL(ctx, p.Account.ID, a.ID, func(a *ACL) error {
		if len(a.Entries) == 0 {
			return slbcert.Errorf(EACLEntryEmpty, "Acl does not have any entry.")
		}
		drop := map[netip.Prefix]bool{}
		for _, e := range remove {
			n, _ := entryNetwork(e.Entry)
			drop[n] = true
		}
		kept := a.Entries[:0]
		for _, e := range a.Entries {
			if n, ok := entryNetwork(e.Entry); !ok || !drop[n] {
				kept = append(kept, e)
			}
		}
		a.Entries = kept
		return nil
	})
	return s.served(ctx, aclWriteError(err, a.ID))
}

// aclWriteError is the answer to a failed ACL write.
func aclWriteError(err error, id string) error {
	var apiErr *slbcert.Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return storeError(err, errACLNotExist(id))
}

// entryNetwork is the network an entry names: a CIDR block with its host
// bits cleared, or an address as a /32 (/128).
func entryNetwork(entry string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(entry); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(entry); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// aclEntries is the rule's reading of AclEntrys: required, as the parser
// read it, each entry of the ACL's family when check (an Add).
func aclEntries(p Param[[]ACLEntry], version string, check bool) ([]ACLEntry, error) {
	if !p.Set {
		return nil, slbcert.MissingParameter("AclEntrys")
	}
	if p.Err != nil {
		return nil, p.Err
	}
	if check {
		for _, e := range p.Value {
			if n, _ := entryNetwork(e.Entry); n.Addr().Is4() != (version == "ipv4") {
				return nil, slbcert.Errorf(EACLEntryVersion, "Entry version is conflict to the acl version: %s in an %s ACL.", e.Entry, version)
			}
		}
	}
	return p.Value, nil
}

// ParseACLEntries reads an AclEntrys parameter as the wire gets it: a JSON
// list of objects with entry and comment (Terraform's single quotes and
// keys in any case accepted), at most 50, each entry a CIDR block or an
// address (AclEntryIllegal otherwise), each comment at most 256
// characters. Err is the whole answer to a malformed list; an empty one
// is not Set.
func ParseACLEntries(v string) Param[[]ACLEntry] {
	if strings.TrimSpace(v) == "" || strings.TrimSpace(v) == "[]" {
		return Param[[]ACLEntry]{}
	}
	entries, err := parseACLEntries(v)
	return Param[[]ACLEntry]{Set: true, Raw: v, Value: entries, Err: err}
}

func parseACLEntries(v string) ([]ACLEntry, error) {
	text, err := doubleQuoted(v)
	if err != nil {
		return nil, errInvalidValue("AclEntrys", v, "a JSON list of {\"entry\": …, \"comment\": …}")
	}
	var raw []map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return nil, errInvalidValue("AclEntrys", v, "a JSON list of {\"entry\": …, \"comment\": …}")
	}
	if len(raw) == 0 {
		return nil, slbcert.MissingParameter("AclEntrys")
	}
	if len(raw) > maxACLEntriesPerCall {
		return nil, slbcert.Errorf(slbcert.EInvalidParameter, "The specified AclEntrys is invalid: at most %d entries a request, got %d.", maxACLEntriesPerCall, len(raw))
	}
	out := make([]ACLEntry, 0, len(raw))
	for _, m := range raw {
		var e ACLEntry
		for k, val := range m {
			s, ok := val.(string)
			if !ok {
				return nil, errInvalidValue("AclEntrys", v, "entries and comments are strings")
			}
			switch strings.ToLower(k) {
			case "entry":
				e.Entry = strings.TrimSpace(s)
			case "comment":
				e.Comment = s
			}
		}
		if e.Entry == "" {
			return nil, slbcert.MissingParameter("AclEntrys.entry")
		}
		if _, ok := entryNetwork(e.Entry); !ok {
			return nil, slbcert.Errorf(EACLEntryIllegal, "The specified ACL entry is invalid: %q is neither a CIDR block nor an IP address.", e.Entry)
		}
		if utf8.RuneCountInString(e.Comment) > maxACLCommentLength || strings.IndexFunc(e.Comment, unicode.IsControl) >= 0 {
			return nil, errInvalidValue("AclEntrys.comment", e.Comment, "at most 256 characters without control characters")
		}
		out = append(out, e)
	}
	return out, nil
}

// DescribeAccessControlListsInput is DescribeAccessControlLists's request.
type DescribeAccessControlListsInput struct {
	RegionID string // required
	// AclName matches a part of the name; AddressIPVersion, ResourceGroupID
	// and Tags (Tag.N, all of them) match exactly.
	AclName          string
	AddressIPVersion string
	ResourceGroupID  string
	Tags             []slbcert.Tag
	// PageNumber (from 1) and PageSize (1–50, default 10).
	PageNumber, PageSize Param[int]
}

// ACLPage is one page of DescribeAccessControlLists.
type ACLPage struct {
	ACLs                             []*ACL
	PageNumber, PageSize, TotalCount int
}

// DescribeACLs lists the account's ACLs of a region, oldest first
// (DescribeAccessControlLists).
func (s *Service) DescribeACLs(ctx context.Context, p *slbcert.Principal, in DescribeAccessControlListsInput) (*ACLPage, error) {
	store, err := s.lbStore()
	if err != nil {
		return nil, err
	}
	reg, err := s.region(p, in.RegionID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(p, "DescribeAccessControlLists", aclARN(reg.ID, p.Account.ID, "*"), in.Tags); err != nil {
		return nil, err
	}
	if err := slbcert.CheckResourceGroupID("ResourceGroupId", in.ResourceGroupID); err != nil {
		return nil, err
	}
	version := ""
	if in.AddressIPVersion != "" {
		if version, err = choice("AddressIPVersion", in.AddressIPVersion, "ipv4", "ipv6"); err != nil {
			return nil, err
		}
	}
	number, size, err := pageParams("PageNumber", in.PageNumber, "PageSize", in.PageSize)
	if err != nil {
		return nil, err
	}
	all, err := store.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: reg.ID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	var match []*ACL
	for _, a := range all {
		if in.AclName != "" && !strings.Contains(a.Name, in.AclName) ||
			version != "" && a.AddressIPVersion != version ||
			in.ResourceGroupID != "" && a.ResourceGroupID != in.ResourceGroupID ||
			!hasTags(a.Tags, in.Tags) {
			continue
		}
		match = append(match, a)
	}
	out := &ACLPage{ACLs: []*ACL{}, PageNumber: number, PageSize: size, TotalCount: len(match)}
	if from := (number - 1) * size; from < len(match) {
		out.ACLs = match[from:min(from+size, len(match))]
	}
	return out, nil
}

// pageParams reads a page number (from 1, default 1) and a page size
// (1–50, default 10).
func pageParams(numberName string, number Param[int], sizeName string, size Param[int]) (int, int, error) {
	n, err := optionalInt(numberName, number, 1, 1<<30, 1)
	if err != nil {
		return 0, 0, err
	}
	sz, err := optionalInt(sizeName, size, 1, maxACLPageSize, defaultACLPageSize)
	return n, sz, err
}

// DescribeAccessControlListAttributeInput is
// DescribeAccessControlListAttribute's request.
type DescribeAccessControlListAttributeInput struct {
	RegionID string // required
	AclID    string // required
	// AclEntryComment keeps the entries whose comment is exactly it.
	AclEntryComment string
	// Page (from 1) and PageSize (1–50) page the entries; without either,
	// every entry is answered (Terraform reads them so).
	Page, PageSize Param[int]
}

// ACLAttribute is what DescribeAccessControlListAttribute answers: the
// ACL, the page of its entries asked for, how many match, and the
// listeners that name it.
type ACLAttribute struct {
	ACL     *ACL
	Entries []ACLEntry
	Total   int
	Related []*Listener
}

// DescribeACL describes one ACL with its entries and related listeners
// (DescribeAccessControlListAttribute).
func (s *Service) DescribeACL(ctx context.Context, p *slbcert.Principal, in DescribeAccessControlListAttributeInput) (*ACLAttribute, error) {
	a, err := s.acl(ctx, p, "DescribeAccessControlListAttribute", in.RegionID, in.AclID)
	if err != nil {
		return nil, err
	}
	entries := a.Entries
	if in.AclEntryComment != "" {
		entries = nil
		for _, e := range a.Entries {
			if e.Comment == in.AclEntryComment {
				entries = append(entries, e)
			}
		}
	}
	out := &ACLAttribute{ACL: a, Total: len(entries), Entries: entries}
	if in.Page.Set || in.PageSize.Set {
		number, size, err := pageParams("Page", in.Page, "PageSize", in.PageSize)
		if err != nil {
			return nil, err
		}
		out.Entries = nil
		if from := (number - 1) * size; from < len(entries) {
			out.Entries = entries[from:min(from+size, len(entries))]
		}
	}
	if out.Entries == nil {
		out.Entries = []ACLEntry{}
	}
	related, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, ACLID: a.ID})
	if err != nil {
		return nil, storeError(err, nil)
	}
	out.Related = related
	return out, nil
}

// checkListenerACLs checks the ACLs a listener of lb is to name: at most
// three, each authorized (action on acl/{id}, with its tags) and existing
// in the account and the load balancer's region (AclNotExist), of the load
// balancer's IP version, at most 1000 entries between them, and each named
// by fewer than 50 other listeners. self is the listener being changed
// (nil on Create), which does not count against an ACL's listeners.
func (s *Service) checkListenerACLs(ctx context.Context, p *slbcert.Principal, action string, lb *LoadBalancer, ids []string, self *Listener) error {
	if len(ids) > maxACLsPerListener {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified AclId is invalid: a listener takes at most %d ACLs, got %d.", maxACLsPerListener, len(ids))
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := s.LoadBalancers.FindACLs(ctx, ACLFilter{AccountID: p.Account.ID, RegionID: lb.RegionID, IDs: ids})
	if err != nil {
		return storeError(err, nil)
	}
	byID := make(map[string]*ACL, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	version := lb.AddressIPVersion
	if version == "" {
		version = "ipv4"
	}
	total := 0
	for _, id := range ids {
		a := byID[id]
		var tags []slbcert.Tag
		if a != nil {
			tags = a.Tags
		}
		if err := s.authorize(p, action, aclARN(lb.RegionID, p.Account.ID, id), tags); err != nil {
			return err
		}
		if a == nil {
			return errACLNotExist(id)
		}
		if a.AddressIPVersion != version {
			return slbcert.Errorf(slbcert.EInvalidParameter, "The specified AclId is invalid: %s is an %s ACL and load balancer %s is %s.", id, a.AddressIPVersion, lb.ID, version)
		}
		total += len(a.Entries)
		users, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, ACLID: id})
		if err != nil {
			return storeError(err, nil)
		}
		n := len(users)
		for _, u := range users {
			if self != nil && u.LoadBalancerID == self.LoadBalancerID && u.Port == self.Port && u.Protocol == self.Protocol {
				n--
			}
		}
		if n >= maxListenersPerACL {
			return slbcert.Errorf(slbcert.EInvalidParameter, "The specified AclId is invalid: %s is already used by %d listeners, the most an ACL may be.", id, n)
		}
	}
	if total > maxACLEntriesPerListener {
		return slbcert.Errorf(slbcert.EInvalidParameter, "The specified AclId is invalid: a listener's ACLs hold at most %d entries between them, these %d.", maxACLEntriesPerListener, total)
	}
	return nil
}

// aclIDList splits a listener's AclId (a comma list, as Terraform joins
// acl_ids), dropping duplicates.
func aclIDList(v string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range splitIDs(v) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
