package slb

import (
	"regexp"
	"strings"

	"slbcert"
)

// errInvalidValue is the InvalidParameter answer naming a parameter and
// what it must be.
func errInvalidValue(name, v, rule string) error {
	return slbcert.Errorf(slbcert.EInvalidParameter, "The specified %s %q is invalid: %s.", name, v, rule)
}

// choice returns the canonical spelling of v among allowed (matched
// case-insensitively, as Alibaba Cloud's gateway matches enumerations).
func choice(name, v string, allowed ...string) (string, error) {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a, nil
		}
	}
	return "", errInvalidValue(name, v, "one of "+strings.Join(allowed, ", "))
}

// flag reads an on/off parameter.
func flag(name, v string) (string, error) { return choice(name, v, "on", "off") }

// objectNamePattern: letters, digits, '-', '/', '.', '_' (VServer group
// names, backend descriptions).
var objectNamePattern = regexp.MustCompile(`^[A-Za-z0-9\p{Han}/._\-]+$`)

// checkName validates a name of 1–max characters matching pattern.
// checkLoadBalancerName checks a LoadBalancerName: the certificate names' rule.
func checkLoadBalancerName(v string) error {
	return checkName("LoadBalancerName", v, 80, namePattern, "1 to 80 characters, starting with a letter, then letters, digits, '.', '_' or '-'")
}

func checkName(name, v string, max int, pattern *regexp.Regexp, rule string) error {
	if n := len([]rune(v)); n < 1 || n > max || !pattern.MatchString(v) {
		return errInvalidValue(name, v, rule)
	}
	return nil
}
