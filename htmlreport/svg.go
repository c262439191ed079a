package htmlreport

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Chart geometry, in SVG user units (the SVG scales to the page width).
const (
	chartW, chartH            = 720.0, 220.0
	padL, padR, padT, padB    = 56.0, 16.0, 28.0, 36.0
	barRowH, barLabelW, barsW = 26.0, 110.0, 720.0
)

type series struct {
	Name   string
	Color  string
	Dash   string // stroke-dasharray, so lines differ in print and for colour blindness
	Values []float64
}

type mark struct {
	At    int // bucket index
	Label string
	Color string
}

// lineChart draws series over len(labels) buckets with marks as vertical
// lines. id ties the SVG to its title and description (aria-labelledby).
func lineChart(id, title, desc, unit string, labels []string, ss []series, marks []mark) template.HTML {
	n := len(labels)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d">`,
		id, chartW, chartH, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	top := 0.0
	for _, s := range ss {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	top = niceCeil(top)
	plotW, plotH := chartW-padL-padR, chartH-padT-padB
	x := func(i int) float64 {
		if n <= 1 {
			return padL + plotW/2
		}
		return padL + plotW*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return padT + plotH - plotH*v/top }
	// Axes and grid.
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="grid"/>`, padL, chartW-padR, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="tick" text-anchor="end">%s</text>`, padL-6, y(v)+4, esc(fmtNum(v)))
	}
	fmt.Fprintf(&b, `<text x="4" y="%.1f" class="tick">%s</text>`, padT-14, esc(unit))
	for _, i := range tickIdx(n, 6) {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="tick" text-anchor="middle">%s</text>`, x(i), chartH-padB+16, esc(labels[i]))
	}
	for _, m := range marks {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="2 3"><title>%s</title></line>`,
			x(m.At), x(m.At), padT, padT+plotH, m.Color, esc(m.Label))
	}
	for _, s := range ss {
		if len(s.Values) == 0 {
			continue
		}
		pts := make([]string, len(s.Values))
		for i, v := range s.Values {
			pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s" points="%s"><title>%s</title></polyline>`,
			s.Color, s.Dash, strings.Join(pts, " "), esc(s.Name))
		for i, v := range s.Values {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s</title></circle>`, x(i), y(v), s.Color, esc(labels[i]), esc(s.Name), esc(fmtNum(v)))
		}
	}
	// Legend, with the marks' meaning when there are marks.
	type entry struct{ name, color, dash string }
	var legend []entry
	for _, s := range ss {
		legend = append(legend, entry{s.Name, s.Color, s.Dash})
	}
	seen := map[string]bool{}
	for _, m := range marks {
		name := map[string]string{throttleColor: "throttled", retryColor: "retried"}[m.Color]
		if name != "" && !seen[name] {
			seen[name] = true
			legend = append(legend, entry{name, m.Color, "2 3"})
		}
	}
	lx := padL
	for _, l := range legend {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, lx, lx+22, chartH-8, chartH-8, l.color, l.dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="tick">%s</text>`, lx+26, chartH-4, esc(l.name))
		lx += 40 + 7*float64(len(l.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barChart draws one horizontal bar per count.
func barChart(id, title, desc string, counts []Count, colors map[string]string) template.HTML {
	total := 0
	for _, c := range counts {
		total = max(total, c.N)
	}
	h := barRowH*float64(len(counts)) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="chart bars" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d">`,
		id, barsW, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
	for i, c := range counts {
		y := 4 + barRowH*float64(i)
		w := 0.0
		if total > 0 {
			w = (barsW - barLabelW - 90) * float64(c.N) / float64(total)
		}
		color := colors[c.Name]
		if color == "" {
			color = "#555"
		}
		fmt.Fprintf(&b, `<text x="0" y="%.1f" class="lbl">%s</text>`, y+16, esc(c.Name))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d</title></rect>`, barLabelW, y+2, w, barRowH-8, color, esc(c.Name), c.N)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="lbl">%d</text>`, barLabelW+w+6, y+16, c.N)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 for 0).
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// tickIdx picks up to k evenly spaced indexes of n.
func tickIdx(n, k int) []int {
	if n == 0 {
		return nil
	}
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, k)
	for i := range k {
		out = append(out, i*(n-1)/(k-1))
	}
	return out
}
