package rpc

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"

	"slbcert"
)

const (
	contentJSON = "application/json;charset=utf-8"
	// contentXML must be exactly this: darabonba parses an error body as XML
	// only when the content type matches it byte for byte.
	contentXML = "text/xml;charset=utf-8"
	xmlHeader  = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
)

// renderOK writes a successful response: v is a struct whose first field is
// the RequestId, rendered as JSON or, with Format=XML, under <{action}Response>.
func renderOK(w http.ResponseWriter, asXML bool, action string, v any) {
	if asXML {
		body, err := xml.Marshal(xmlRoot{name: action + "Response", v: v})
		if err != nil {
			http.Error(w, "rendering failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentXML)
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(xmlHeader))
		w.Write(body)
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "rendering failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// xmlRoot renders v under an element named at run time.
type xmlRoot struct {
	name string
	v    any
}

// MarshalXML implements xml.Marshaler.
func (r xmlRoot) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	return e.EncodeElement(r.v, xml.StartElement{Name: xml.Name{Local: r.name}})
}

// errorBody is the gateway's error envelope. Every value is a string (or, for
// AccessDeniedDetail, an object): the Go SDK type-asserts them unchecked.
type errorBody struct {
	XMLName            xml.Name `json:"-" xml:"Error"`
	RequestID          string   `json:"RequestId" xml:"RequestId"`
	HostID             string   `json:"HostId" xml:"HostId"`
	Code               string   `json:"Code" xml:"Code"`
	Message            string   `json:"Message" xml:"Message"`
	Recommend          string   `json:"Recommend" xml:"Recommend"`
	AccessDeniedDetail any      `json:"AccessDeniedDetail,omitempty" xml:"-"`
}

// publicError returns the *slbcert.Error to show for err: err itself, or
// InternalError with a message that hides the cause.
func publicError(err error) *slbcert.Error {
	var e *slbcert.Error
	if errors.As(err, &e) {
		return e
	}
	return slbcert.Errorf(slbcert.EInternal, "The request processing has failed due to some unknown error, exception or failure.")
}

// renderError writes err as the error envelope with its code's status.
func renderError(w http.ResponseWriter, asXML bool, requestID, hostID string, p *Product, e *slbcert.Error) {
	recommend := "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.Code)
	if p != nil {
		hostID = p.HostID
		recommend += "&product=" + url.QueryEscape(p.Code)
	}
	body := errorBody{
		RequestID: requestID,
		HostID:    hostID,
		Code:      e.Code,
		Message:   e.Message,
		Recommend: recommend + "&requestId=" + requestID,
	}
	if d, ok := e.Extra["AccessDeniedDetail"]; ok {
		body.AccessDeniedDetail = d
	}
	status := errorStatus(e, p)
	if asXML {
		out, _ := xml.Marshal(body)
		w.Header().Set("Content-Type", contentXML)
		w.WriteHeader(status)
		w.Write([]byte(xmlHeader))
		w.Write(out)
		return
	}
	out, _ := json.Marshal(body)
	w.Header().Set("Content-Type", contentJSON)
	w.WriteHeader(status)
	w.Write(out)
}
