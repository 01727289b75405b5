package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// pageNames are the templates in assets/templates, each rendered inside
// layout.html.
var pageNames = []string{"signin", "refused", "overview", "certificates", "certificate", "timeline",
	"loadbalancers", "loadbalancer", "listener", "calls"}

// funcs are the templates' helpers; asset is bound per Console (its
// files' version).
func funcs(assetHash string) template.FuncMap {
	return template.FuncMap{
		"asset":    func(name string) string { return "/console/static/" + name + "?v=" + assetHash },
		"date":     func(t time.Time) string { return dateOf(t) },
		"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
		"clock":    func(t time.Time) string { return t.UTC().Format("15:04:05") },
		"join":     strings.Join,
		"ms":       func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) },
		"upper":    strings.ToUpper,
		// certlink names a certificate the page shows by id: its name
		// when the page's CertNames has it, a link to it either way.
		"certlink": func(data any, kind, id string) map[string]string {
			var names map[string]string
			region := ""
			switch d := data.(type) {
			case *listenerData:
				names, region = d.CertNames, d.Region
			case *loadBalancerData:
				names, region = d.CertNames, d.Region
			}
			return map[string]string{"ID": id, "Name": names[id], "Href": withRegion("/console/certificates/"+kind+"/"+url.PathEscape(id), region)}
		},
		// startstop hands the start/stop form its page (for the token)
		// and where to return.
		"startstop": func(page any, l *listenerView, back string) map[string]any {
			return map[string]any{"Page": page, "Listener": l, "Back": back}
		},
	}
}

// dateOf is the console's date: YYYY-MM-DD, UTC.
func dateOf(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

func parsePages(assetHash string) map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.New(name).Funcs(funcs(assetHash)).ParseFS(assets,
			"assets/templates/layout.html", "assets/templates/parts.html", "assets/templates/"+name+".html"))
		out[name] = t
	}
	return out
}

// render writes page name with data, or a bare 500 if the template fails
// (logged): a half-written page is never sent.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		c.log.Error("console: rendering", "page", name, "err", err)
		http.Error(w, "The console could not render this page.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
