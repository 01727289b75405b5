package console

import (
	"net/http"
	"time"
)

// The timeline's drawing, in SVG user units (the viewBox scales it).
const (
	tlWidth     = 1000
	tlLabelW    = 300 // the labels' column
	tlRight     = 30  // room right of the axis for a date
	tlRowH      = 26
	tlTop       = 40
	tlBottom    = 30
	tlMaxAhead  = 3 * 365 * 24 * time.Hour // past this, items sit at the edge
	tlMinAhead  = 120 * 24 * time.Hour
	tlMaxBehind = 365 * 24 * time.Hour
)

type timelineRow struct {
	Cert           *certificate
	Y, TextY       int
	X, BarX, BarW  int
	Clamped        bool // beyond the axis: drawn at its end
	LabelX, DateX  int
	Label, Date    string
	DateAnchorLeft bool
}

type timelineTick struct {
	X     int
	Label string
}

// timelineView is the expiry timeline drawn on the server: every
// certificate on one time axis, with today and the 30-day band marked.
type timelineView struct {
	Width, Height, AxisY, AxisX0, AxisX1 int
	TodayX, BandX, BandW                 int
	Ticks                                []timelineTick
	Rows                                 []timelineRow
	From, To                             time.Time
}

func drawTimeline(certs []*certificate, now time.Time) *timelineView {
	from, to := now.Add(-30*24*time.Hour), now.Add(tlMinAhead)
	for _, c := range certs {
		if c.Expire.Before(from) {
			from = c.Expire
		}
		if c.Expire.After(to) {
			to = c.Expire
		}
	}
	if limit := now.Add(-tlMaxBehind); from.Before(limit) {
		from = limit
	}
	if limit := now.Add(tlMaxAhead); to.After(limit) {
		to = limit
	}
	// Whole months either side.
	from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(to.Year(), to.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	v := &timelineView{Width: tlWidth, AxisX0: tlLabelW, AxisX1: tlWidth - tlRight - 60, From: from, To: to}
	v.Height = tlTop + len(certs)*tlRowH + tlBottom
	v.AxisY = v.Height - tlBottom
	span := to.Sub(from)
	x := func(t time.Time) int {
		if t.Before(from) {
			t = from
		}
		if t.After(to) {
			t = to
		}
		return v.AxisX0 + int(float64(v.AxisX1-v.AxisX0)*float64(t.Sub(from))/float64(span))
	}
	v.TodayX = x(now)
	v.BandX, v.BandW = v.TodayX, x(now.Add(ExpiringWithin))-v.TodayX
	months := int(span.Hours()/24/30) + 1
	step := 1
	for months/step > 12 {
		step++
	}
	for t := from; !t.After(to); t = t.AddDate(0, step, 0) {
		v.Ticks = append(v.Ticks, timelineTick{X: x(t), Label: t.Format("2006-01")})
	}
	for i, c := range certs {
		y := tlTop + i*tlRowH
		row := timelineRow{Cert: c, Y: y, TextY: y + 5, X: x(c.Expire), LabelX: tlLabelW - 10, Label: label(c), Date: dateOf(c.Expire)}
		row.Clamped = c.Expire.After(to) || c.Expire.Before(from)
		if row.X >= v.TodayX {
			row.BarX, row.BarW = v.TodayX, row.X-v.TodayX
		} else {
			row.BarX, row.BarW = row.X, v.TodayX-row.X
		}
		row.DateX = row.X + 10
		if c.Expire.Before(now) {
			row.DateX = v.TodayX + 10
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// label is a certificate's name on the axis, its id when it has none.
func label(c *certificate) string {
	name := c.Name
	if name == "" {
		name = c.ID
	}
	if r := []rune(name); len(r) > 34 {
		name = string(r[:33]) + "…"
	}
	return name
}

type timelineData struct {
	*page
	Timeline *timelineView
	Certs    []*certificate
}

func (c *Console) timeline(w http.ResponseWriter, r *http.Request, p *page) {
	p.begin("Expiry timeline", "timeline")
	inv := &inventory{}
	p.loadCertificates(inv)
	certs := inv.all()
	sortByExpiry(certs)
	p.show(http.StatusOK, "timeline", &timelineData{page: p, Timeline: drawTimeline(certs, p.Now), Certs: certs})
}
