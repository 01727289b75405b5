package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Report is everything a run prints, in order; it renders as aligned text
// for the terminal and as Markdown for BENCHMARKS.md.
type Report struct {
	Title    string
	Preamble []string // lines about the machine and the run
	Sections []Table
}

// Table is a titled table with notes under it.
type Table struct {
	Title string
	Head  []string
	Rows  [][]string
	Notes []string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Text writes r as aligned plain text.
func (r *Report) Text(w io.Writer) {
	fmt.Fprintf(w, "%s\n%s\n", r.Title, strings.Repeat("=", utf8.RuneCountInString(r.Title)))
	for _, l := range r.Preamble {
		fmt.Fprintln(w, l)
	}
	for _, t := range r.Sections {
		fmt.Fprintf(w, "\n%s\n%s\n", t.Title, strings.Repeat("-", utf8.RuneCountInString(t.Title)))
		widths := make([]int, len(t.Head))
		for _, row := range append([][]string{t.Head}, t.Rows...) {
			for i, c := range row {
				if i < len(widths) {
					widths[i] = max(widths[i], utf8.RuneCountInString(c))
				}
			}
		}
		line := func(row []string) {
			var b strings.Builder
			for i, c := range row {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(c)
				if i < len(row)-1 && i < len(widths) {
					b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
				}
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
		line(t.Head)
		sep := make([]string, len(widths))
		for i, n := range widths {
			sep[i] = strings.Repeat("-", n)
		}
		line(sep)
		for _, row := range t.Rows {
			line(row)
		}
		for _, n := range t.Notes {
			fmt.Fprintf(w, "  * %s\n", n)
		}
	}
}

// Markdown writes r as Markdown; headings start at level two.
func (r *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "## %s\n\n", r.Title)
	for _, l := range r.Preamble {
		fmt.Fprintf(w, "%s  \n", l)
	}
	for _, t := range r.Sections {
		fmt.Fprintf(w, "\n### %s\n\n", t.Title)
		row := func(cells []string) {
			esc := make([]string, len(cells))
			for i, c := range cells {
				esc[i] = strings.ReplaceAll(c, "|", `\|`)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
		}
		row(t.Head)
		sep := make([]string, len(t.Head))
		for i := range sep {
			sep[i] = "---"
		}
		row(sep)
		for _, r := range t.Rows {
			row(r)
		}
		if len(t.Notes) > 0 {
			fmt.Fprintln(w)
			for _, n := range t.Notes {
				fmt.Fprintf(w, "- %s\n", n)
			}
		}
	}
}
