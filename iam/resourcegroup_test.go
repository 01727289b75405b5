package iam

import (
	"strings"
	"testing"

	"slbcert"
)

func TestResourceGroups(t *testing.T) {
	d, err := build(t, `{"accounts":[{"id":"1000000000000002","accessKeys":[{"id":"a","secret":"s"}],
		"resourceGroups":[{"name":"prod","displayName":"Production"},{"id":"rg-test42","name":"test"}]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := d.AccessKey("a")
	got := k.Principal.Account.ResourceGroups
	want := []slbcert.ResourceGroup{
		{ID: slbcert.DeclaredResourceGroupID("1000000000000002", "prod"), Name: "prod", DisplayName: "Production"},
		{ID: "rg-test42", Name: "test", DisplayName: "test"},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("resource groups = %+v, want %+v", got, want)
	}
	if !slbcert.ValidResourceGroupID(got[0].ID) || len(got[0].ID) != 18 || got[0].ID == slbcert.DefaultResourceGroupID("1000000000000002") {
		t.Errorf("derived id %q", got[0].ID)
	}
	if again := slbcert.DeclaredResourceGroupID("1000000000000002", "prod"); again != got[0].ID {
		t.Errorf("derived id not stable: %s, %s", again, got[0].ID)
	}
	if other := slbcert.DeclaredResourceGroupID("1000000000000003", "prod"); other == got[0].ID {
		t.Error("two accounts' groups of one name share an id")
	}
}

func TestResourceGroupErrors(t *testing.T) {
	acct := func(groups string) string {
		return `{"accounts":[{"id":"1000000000000002","resourceGroups":` + groups + `}]}`
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"error/no name", acct(`[{"displayName":"x"}]`), "name"},
		{"error/name starts with a digit", acct(`[{"name":"1prod"}]`), "starting with a letter"},
		{"error/name too short", acct(`[{"name":"p"}]`), "2 to 50"},
		{"error/name with underscore", acct(`[{"name":"pr_od"}]`), "2 to 50"},
		{"error/default name", acct(`[{"name":"Default"}]`), "taken"},
		{"error/duplicate name", acct(`[{"name":"prod"},{"name":"prod"}]`), "taken"},
		{"error/bad id", acct(`[{"name":"prod","id":"rg-UPPER"}]`), "rg-"},
		{"error/id too long", acct(`[{"name":"prod","id":"rg-0123456789abcdef"}]`), "rg-"},
		{"error/duplicate id", acct(`[{"name":"a1","id":"rg-x"},{"name":"b1","id":"rg-x"}]`), "taken"},
		{"error/default id", acct(`[{"name":"a1","id":"` + slbcert.DefaultResourceGroupID("1000000000000002") + `"}]`), "taken"},
		{"error/display name too long", acct(`[{"name":"a1","displayName":"` + strings.Repeat("x", 51) + `"}]`), "displayName"},
		{"error/unknown field", acct(`[{"name":"a1","owner":"x"}]`), "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(t, tc.doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
