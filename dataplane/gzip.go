package dataplane

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipTypes are the media types a listener with Gzip on compresses: the
// list Alibaba documents for CLB.
var gzipTypes = map[string]bool{
	"text/xml": true, "text/plain": true, "text/css": true,
	"application/javascript": true, "application/x-javascript": true,
	"application/rss+xml": true, "application/atom+xml": true,
	"application/xml": true, "application/json": true,
}

// gzipMinLength is the smallest body compressed when its length is known:
// below it, gzip's header costs more than it saves.
const gzipMinLength = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// acceptsGzip reports whether the client takes gzip (q=0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// responseWriter records the status for the metrics and, when the client
// takes gzip, compresses the response if its type and size call for it,
// decided when the headers are written.
type responseWriter struct {
	http.ResponseWriter
	gzip   bool
	status int
	gz     *gzip.Writer
}

func (w *responseWriter) WriteHeader(code int) {
	if w.status != 0 || code < 200 {
		if w.status == 0 {
			w.ResponseWriter.WriteHeader(code) // 1xx: informational, more to come
		}
		return
	}
	w.status = code
	if w.gzip && compressible(w.Header(), code) {
		h := w.Header()
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		if etag := h.Get("Etag"); strings.HasPrefix(etag, `"`) {
			h.Set("Etag", "W/"+etag) // the bytes differ: no longer a strong validator
		}
		w.gz = gzipWriters.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(code)
}

func compressible(h http.Header, code int) bool {
	if code == http.StatusNoContent || code == http.StatusNotModified || h.Get("Content-Encoding") != "" {
		return false
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < gzipMinLength {
		return false
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && gzipTypes[mt]
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// Flush sends what is compressed so far, then flushes the connection.
func (w *responseWriter) Flush() {
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish ends the gzip stream.
func (w *responseWriter) finish() {
	if w.gz != nil {
		w.gz.Close()
		w.gz.Reset(io.Discard)
		gzipWriters.Put(w.gz)
		w.gz = nil
	}
}

// statusCode is the status sent (200 when the handler wrote none).
func (w *responseWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
