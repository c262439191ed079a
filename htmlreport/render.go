package htmlreport

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var pageTemplate string

// outcomeColors are the bar colours per outcome; the table beside the chart
// carries the same numbers for anyone who cannot see them.
var outcomeColors = map[string]string{
	"ok": "#2e7d32", "excluded": "#c62828", "invalid": "#6a1b9a", "failed": "#ef6c00",
	"in-doubt": "#ad1457", "pending": "#1565c0", "skipped": "#757575", "undecided": "#9e9e9e",
}

// Mark colours: throttling answers and retries.
const (
	throttleColor = "#c62828"
	retryColor    = "#ef6c00"
)

// page is what the template sees: the data plus the rendered charts.
type page struct {
	Data
	OutcomeChart, ThroughputChart, RowsChart, LatencyChart template.HTML
	OutcomeText, ThroughputText, LatencyText               string
	Buckets                                                []bucketRow
	Marks                                                  []string
}

type bucketRow struct {
	At                 string
	ReqPerS, RowsPerS  string
	P50, P95           string
	Throttled, Retries int
}

// Write renders d as a complete HTML document.
func Write(w io.Writer, d Data) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"utc":  func(t time.Time) string { return fmtTime(t) },
		"href": func(name string) string { return (&url.URL{Path: name}).String() },
		"pct": func(n, total int) string {
			if total == 0 {
				return "0%"
			}
			return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
		},
	}).Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	p := page{Data: d}
	p.OutcomeText = outcomeText(d)
	p.OutcomeChart = barChart("outcomes", "Rows by outcome", p.OutcomeText, d.Outcomes, outcomeColors)
	p.timeline()
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteFile renders d to path atomically (path+".tmp", then rename).
func WriteFile(path string, d Data) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := Write(f, d); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func outcomeText(d Data) string {
	parts := make([]string, 0, len(d.Outcomes))
	for _, c := range d.Outcomes {
		if c.N > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.N))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d rows; none decided yet.", d.Rows)
	}
	return fmt.Sprintf("%d rows: %s.", d.Rows, strings.Join(parts, ", "))
}

func (p *page) timeline() {
	tl := p.Timeline
	if len(tl.Points) == 0 {
		p.ThroughputText = "No request timings were recorded for this run."
		return
	}
	labels := make([]string, len(tl.Points))
	req, rows, p50, p95 := make([]float64, len(tl.Points)), make([]float64, len(tl.Points)), make([]float64, len(tl.Points)), make([]float64, len(tl.Points))
	var marks []mark
	secs := tl.Bucket.Seconds()
	peakReq, peakRows, peak95 := 0.0, 0.0, 0.0
	for i, pt := range tl.Points {
		off := time.Duration(i) * tl.Bucket
		labels[i] = fmtOffset(off)
		req[i], rows[i] = float64(pt.Requests)/secs, float64(pt.Rows)/secs
		p50[i], p95[i] = pt.P50, pt.P95
		peakReq, peakRows, peak95 = max(peakReq, req[i]), max(peakRows, rows[i]), max(peak95, pt.P95)
		// Retries first, so a throttling mark at the same time is drawn on top.
		if pt.Retries > 0 {
			l := fmt.Sprintf("%s: %d retries", labels[i], pt.Retries)
			marks = append(marks, mark{At: i, Label: l, Color: retryColor})
			p.Marks = append(p.Marks, l)
		}
		if pt.Throttled > 0 {
			l := fmt.Sprintf("%s: %d throttling answers", labels[i], pt.Throttled)
			marks = append(marks, mark{At: i, Label: l, Color: throttleColor})
			p.Marks = append(p.Marks, l)
		}
		p.Buckets = append(p.Buckets, bucketRow{At: labels[i], ReqPerS: fmtNum(req[i]), RowsPerS: fmtNum(rows[i]),
			P50: fmtNum(pt.P50), P95: fmtNum(pt.P95), Throttled: pt.Throttled, Retries: pt.Retries})
	}
	o := tl.Overall
	p.ThroughputText = fmt.Sprintf("%d requests and %d rows over %s in %s buckets; peak %s requests/s and %s rows/s; %d throttling answers and %d retries (marked by dashed vertical lines).",
		o.Requests, o.Rows, fmtOffset(time.Duration(len(tl.Points))*tl.Bucket), tl.Bucket, fmtNum(peakReq), fmtNum(peakRows), o.Throttled, o.Retries)
	p.LatencyText = fmt.Sprintf("Latency over all requests: p50 %s ms, p95 %s ms; the slowest bucket's p95 was %s ms.", fmtNum(o.P50), fmtNum(o.P95), fmtNum(peak95))
	// Requests and rows differ a hundredfold (100 numbers a request), so
	// each gets its own chart and scale.
	p.ThroughputChart = lineChart("throughput", "Requests per second over time", p.ThroughputText, "requests/s", labels,
		[]series{{Name: "requests/s", Color: "#1565c0", Values: req}}, marks)
	p.RowsChart = lineChart("rows", "Rows decided per second over time", p.ThroughputText, "rows/s", labels,
		[]series{{Name: "rows/s", Color: "#2e7d32", Dash: "6 3", Values: rows}}, nil)
	p.LatencyChart = lineChart("latency", "Request latency over time", p.LatencyText, "ms", labels,
		[]series{{Name: "p50", Color: "#1565c0", Values: p50}, {Name: "p95", Color: "#c62828", Dash: "6 3", Values: p95}}, marks)
}

func fmtOffset(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// Percentile returns the q-quantile (0..1) of ms, nearest rank; ms is sorted
// in place.
func Percentile(ms []float64, q float64) float64 {
	if len(ms) == 0 {
		return 0
	}
	slices.Sort(ms)
	i := int(q*float64(len(ms))+0.999999) - 1
	return ms[min(max(i, 0), len(ms)-1)]
}

// Files lists the files in dir a report links to, skipping the report itself,
// temporary files and the checkpoint's side files.
func Files(dir string, roles map[string]string) []File {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []File
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || n == "report.html" || strings.HasSuffix(n, ".tmp") || strings.HasSuffix(n, "-wal") || strings.HasSuffix(n, "-shm") || strings.HasSuffix(n, ".lock") {
			continue
		}
		role := roles[n]
		if role == "" {
			role = strings.TrimPrefix(filepath.Ext(n), ".")
		}
		out = append(out, File{Name: n, Role: role})
	}
	return out
}
