package sign

import "slbcert"

// MsgSignatureMismatch starts the message of every SignatureDoesNotMatch
// answer for a wrong signature; our string to sign follows it directly. The Go
// SDK v1 splits the message at "server string to sign is:" and compares the
// rest with its own string to sign to build its Recommend hint.
const MsgSignatureMismatch = "Specified signature is not matched with our calculation. server string to sign is:"

// msgIncomplete is the gateway's IncompleteSignature message; the reason is
// appended so that a user can fix the request.
const msgIncomplete = "The request signature does not conform to Aliyun standards."

func incomplete(format string, args ...any) *slbcert.Error {
	return slbcert.Errorf(slbcert.EIncompleteSignature, msgIncomplete+" "+format, args...)
}

func mismatch(stringToSign string) *slbcert.Error {
	return &slbcert.Error{Code: slbcert.ESignatureDoesNotMatch, Message: MsgSignatureMismatch + stringToSign}
}

func invalidSignatureMethod(name string) *slbcert.Error {
	return slbcert.Errorf(slbcert.EInvalidSignatureMethod, "The specified parameter %q is not valid.", name)
}

// clip shortens a client-supplied value before it is quoted in a message.
func clip(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
