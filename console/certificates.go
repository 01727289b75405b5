package console

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// uploadForm is the upload form's values, kept to show the form again
// after a refusal — never the private key.
type uploadForm struct {
	Kind, Name, Certificate string
	Err                     *apiError
}

type certificatesData struct {
	*page
	Inv    *inventory
	Upload uploadForm
}

func (c *Console) certificates(w http.ResponseWriter, r *http.Request, p *page) {
	p.begin("Certificates", "certificates")
	p.show(http.StatusOK, "certificates", &certificatesData{page: p, Inv: p.loadInventory(), Upload: uploadForm{Kind: kindServer}})
}

type certificateData struct {
	*page
	Cert *certificate
	// Replacements are the certificates of the same kind the replace form
	// offers.
	Replacements []*certificate
	Inv          *inventory
}

func (c *Console) certificate(w http.ResponseWriter, r *http.Request, p *page) {
	kind, id := r.PathValue("kind"), r.PathValue("id")
	p.begin("Certificate "+id, "certificates")
	inv := p.loadInventory()
	cert := inv.find(kind, id)
	if cert == nil {
		if len(p.Errors) == 0 && p.Flash == nil {
			p.Message = "No " + kindNames[kind] + " " + id + " in " + p.Region + "."
		}
		p.show(http.StatusNotFound, "certificate", &certificateData{page: p, Inv: inv})
		return
	}
	if kind == kindCatalog {
		p.catalogDetail(cert)
	}
	d := &certificateData{page: p, Cert: cert, Inv: inv}
	if kind != kindCatalog {
		for _, o := range inv.ofKind(kind) {
			if o.ID != cert.ID && o.State != "expired" {
				d.Replacements = append(d.Replacements, o)
			}
		}
	}
	p.show(http.StatusOK, "certificate", d)
}

func (i *inventory) ofKind(kind string) []*certificate {
	if kind == kindCA {
		return i.CA
	}
	return i.Server
}

// catalogDetail adds what only GetUserCertificateDetail tells of a
// catalog entry, without its PEM texts (CertFilter): the console never
// asks for a private key.
func (p *page) catalogDetail(c *certificate) {
	var d catalogDetailAnswer
	if p.read(casVersion, "GetUserCertificateDetail", url.Values{"CertId": {c.ID}, "CertFilter": {"true"}}, &d) {
		c.Issuer, c.Algorithm = d.Issuer, d.Algorithm
		if d.NotAfter > 0 {
			c.setExpiry(time.UnixMilli(d.NotAfter), p.Now)
		}
	}
}

// upload is the upload form: a server certificate with its key, a CA
// certificate, or a catalog entry, from PEM files or pasted text.
func (c *Console) upload(w http.ResponseWriter, r *http.Request, p *page) {
	p.begin("Certificates", "certificates")
	f := uploadForm{Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	cert, err1 := formText(r, "certificate", "certificateFile")
	key, err2 := formText(r, "privateKey", "privateKeyFile")
	f.Certificate = cert
	var (
		version, action string
		params          url.Values
	)
	switch f.Kind {
	case kindServer:
		version, action = slbVersion, "UploadServerCertificate"
		params = p.regionParams("ServerCertificate", cert, "PrivateKey", key, "ServerCertificateName", f.Name)
	case kindCA:
		version, action = slbVersion, "UploadCACertificate"
		params = p.regionParams("CACertificate", cert, "CACertificateName", f.Name)
	case kindCatalog:
		version, action = casVersion, "UploadUserCertificate"
		params = url.Values{"Name": {f.Name}, "Cert": {cert}, "Key": {key}}
	default:
		f.Kind = kindServer
		f.Err = &apiError{Code: "Console.InvalidKind", Message: "Choose what to upload: a server certificate, a CA certificate or a catalog entry."}
	}
	if err := firstErr(err1, err2); err != nil && f.Err == nil {
		f.Err = &apiError{Code: "Console.InvalidFile", Message: "The file could not be read: " + err.Error()}
	}
	if f.Err == nil {
		var out struct {
			ServerCertificateID string `json:"ServerCertificateId"`
			CACertificateID     string `json:"CACertificateId"`
			CertID              int64  `json:"CertId"`
		}
		if e := p.call(version, action, params, &out); e != nil {
			f.Err = e
		} else {
			id := out.ServerCertificateID + out.CACertificateID
			if f.Kind == kindCatalog {
				id = strconv.FormatInt(out.CertID, 10)
			}
			p.redirect("/console/certificates/"+f.Kind+"/"+url.PathEscape(id), &flash{OK: "Uploaded " + kindNames[f.Kind] + " " + id + "."})
			return
		}
	}
	status := f.Err.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	p.show(status, "certificates", &certificatesData{page: p, Inv: p.loadInventory(), Upload: f})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// formText is a PEM field: the uploaded file when one was chosen, else
// the pasted text.
func formText(r *http.Request, field, fileField string) (string, error) {
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File[fileField]; len(files) > 0 && files[0].Size > 0 {
			return readUpload(files[0])
		}
	}
	return r.PostFormValue(field), nil
}

func readUpload(h *multipart.FileHeader) (string, error) {
	f, err := h.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256<<10))
	return string(b), err
}

// certificateAction names the API action renaming or deleting a kind.
func certificateAction(kind, op string) (version, action string, params func(p *page, id, name string) url.Values) {
	switch kind + "/" + op {
	case "server/rename":
		return slbVersion, "SetServerCertificateName", func(p *page, id, name string) url.Values {
			return p.regionParams("ServerCertificateId", id, "ServerCertificateName", name)
		}
	case "ca/rename":
		return slbVersion, "SetCACertificateName", func(p *page, id, name string) url.Values {
			return p.regionParams("CACertificateId", id, "CACertificateName", name)
		}
	case "catalog/rename":
		return casRenameVersion, "CreateCertificateName", func(p *page, id, name string) url.Values {
			return url.Values{"CertificateId": {id}, "Name": {name}}
		}
	case "server/delete":
		return slbVersion, "DeleteServerCertificate", func(p *page, id, _ string) url.Values {
			return p.regionParams("ServerCertificateId", id)
		}
	case "ca/delete":
		return slbVersion, "DeleteCACertificate", func(p *page, id, _ string) url.Values {
			return p.regionParams("CACertificateId", id)
		}
	case "catalog/delete":
		return casVersion, "DeleteUserCertificate", func(p *page, id, _ string) url.Values {
			return url.Values{"CertId": {id}}
		}
	}
	return "", "", nil
}

func (c *Console) rename(w http.ResponseWriter, r *http.Request, p *page) {
	kind, id := r.PathValue("kind"), r.PathValue("id")
	p.chooseRegion()
	version, action, params := certificateAction(kind, "rename")
	if params == nil {
		c.notFound(w, r)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	f := &flash{OK: "Renamed " + id + " to " + name + "."}
	if e := p.call(version, action, params(p, id, name), nil); e != nil {
		f = &flash{Err: e}
	}
	p.redirect("/console/certificates/"+kind+"/"+url.PathEscape(id), f)
}

func (c *Console) deleteCertificate(w http.ResponseWriter, r *http.Request, p *page) {
	kind, id := r.PathValue("kind"), r.PathValue("id")
	p.chooseRegion()
	version, action, params := certificateAction(kind, "delete")
	if params == nil {
		c.notFound(w, r)
		return
	}
	if e := p.call(version, action, params(p, id, ""), nil); e != nil {
		// The certificate's page says what uses it.
		p.redirect("/console/certificates/"+kind+"/"+url.PathEscape(id), &flash{Err: e})
		return
	}
	p.redirect("/console/certificates", &flash{OK: "Deleted " + kindNames[kind] + " " + id + "."})
}

// stepResult is one switch of a replacement: what it changed and what the
// API answered.
type stepResult struct {
	What, Text, Href string
	Action           string
	RequestID        string
	Err              *apiError
}

// replace switches every listener and domain extension of the region that
// uses one certificate to another, one Set… call each, then offers to
// delete the old one (docs/choices.md, "Console": replace everywhere).
func (c *Console) replace(w http.ResponseWriter, r *http.Request, p *page) {
	kind, id := r.PathValue("kind"), r.PathValue("id")
	p.chooseRegion()
	back := "/console/certificates/" + kind + "/" + url.PathEscape(id)
	newID := r.PostFormValue("replacement")
	if kind != kindServer && kind != kindCA {
		c.notFound(w, r)
		return
	}
	if newID == "" || newID == id {
		p.redirect(back, &flash{Err: &apiError{Code: "Console.NoReplacement", Message: "Choose the certificate that replaces this one."}})
		return
	}
	inv := p.loadInventory()
	old := inv.find(kind, id)
	if old == nil || len(p.Errors) > 0 {
		e := &apiError{Code: "Console.Unread", Message: "The certificate or what uses it could not be read: nothing was changed."}
		if len(p.Errors) > 0 {
			e = p.Errors[0]
		}
		p.redirect(back, &flash{Err: e})
		return
	}
	f := &flash{}
	failed := false
	for _, u := range old.UsedBy {
		step := stepResult{What: u.What, Text: u.Text, Href: u.Href}
		var params url.Values
		switch u.What {
		case "listener":
			step.Action = "SetLoadBalancerHTTPSListenerAttribute"
			params = p.regionParams("LoadBalancerId", u.LoadBalancerID, "ListenerPort", strconv.Itoa(u.Port), "ServerCertificateId", newID)
		case "CA of listener":
			step.Action = "SetLoadBalancerHTTPSListenerAttribute"
			params = p.regionParams("LoadBalancerId", u.LoadBalancerID, "ListenerPort", strconv.Itoa(u.Port), "CACertificateId", newID)
		case "domain extension":
			step.Action = "SetDomainExtensionAttribute"
			params = p.regionParams("DomainExtensionId", u.DomainExtensionID, "ServerCertificateId", newID)
		default:
			continue
		}
		res := p.c.gateway.Invoke(p.r.Context(), invocation(p, slbVersion, step.Action, params))
		step.RequestID = res.RequestID
		if res.Err != nil {
			step.Err = &apiError{Action: step.Action, Code: res.Err.Code, Message: res.Err.Message, RequestID: res.RequestID, Status: res.Status}
			failed = true
		}
		f.Results = append(f.Results, step)
	}
	switch {
	case failed:
		f.Err = &apiError{Code: "Console.PartlyReplaced", Message: "Some uses were not switched; the API's answers are below. The old certificate stays."}
	case len(f.Results) == 0:
		f.OK = "Nothing in " + p.Region + " uses " + id + ": nothing to switch."
		f.Offer = "delete"
	default:
		f.OK = "Every use of " + id + " now uses " + newID + "."
		f.Offer = "delete"
	}
	p.redirect(back, f)
}
