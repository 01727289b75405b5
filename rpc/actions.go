package rpc

import (
	"context"
	"sort"
	"time"

	"slbcert"
)

// handler runs one Action for an authenticated call.
type handler func(s *Server, ctx context.Context, c *call) (any, error)

// actions lists every Action the server implements.
var actions = map[string]handler{
	"UploadServerCertificate":    (*Server).uploadServerCertificate,
	"DescribeServerCertificates": (*Server).describeServerCertificates,
	"SetServerCertificateName":   (*Server).setServerCertificateName,
	"DeleteServerCertificate":    (*Server).deleteServerCertificate,
	"UploadCACertificate":        (*Server).uploadCACertificate,
	"DescribeCACertificates":     (*Server).describeCACertificates,
	"SetCACertificateName":       (*Server).setCACertificateName,
	"DeleteCACertificate":        (*Server).deleteCACertificate,
	"TagResources":               (*Server).tagResources,
	"UntagResources":             (*Server).untagResources,
	"ListTagResources":           (*Server).listTagResources,
	"MoveResourceGroup":          (*Server).moveResourceGroup,
	"DescribeRegions":            (*Server).describeRegions,
}

// Actions returns the names of every Action the server implements.
func Actions() []string {
	names := make([]string, 0, len(actions))
	for name := range actions {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// base carries the RequestId every answer starts with.
type base struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
}

func (b *base) setRequestID(id string) { b.RequestID = id }

func setRequestID(result any, id string) {
	if r, ok := result.(interface{ setRequestID(string) }); ok {
		r.setRequestID(id)
	}
}

// timeLayout is the API's time format, UTC to the second.
const timeLayout = "2006-01-02T15:04:05Z"

func apiTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// apiTimeStamp is milliseconds since the epoch at whole seconds, as
// CreateTimeStamp is CreateTime truncated to the second.
func apiTimeStamp(t time.Time) int64 { return t.Truncate(time.Second).UnixMilli() }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// subjectAlternativeNames nests the SAN list as the SDK expects.
type subjectAlternativeNames struct {
	SubjectAlternativeName []string `json:"SubjectAlternativeName" xml:"SubjectAlternativeName"`
}

func sans(c *slbcert.Certificate) subjectAlternativeNames {
	names := c.SubjectAlternativeNames
	if names == nil {
		names = []string{}
	}
	return subjectAlternativeNames{SubjectAlternativeName: names}
}

type tagItem struct {
	TagKey   string `json:"TagKey" xml:"TagKey"`
	TagValue string `json:"TagValue" xml:"TagValue"`
}

type tagList struct {
	Tag []tagItem `json:"Tag" xml:"Tag"`
}

func tagsOf(c *slbcert.Certificate) tagList {
	l := tagList{Tag: make([]tagItem, 0, len(c.Tags))}
	for _, t := range c.Tags {
		l.Tag = append(l.Tag, tagItem{TagKey: t.Key, TagValue: t.Value})
	}
	return l
}
