package htmlreport

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sample(points, reasons, orders int) Data {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	d := Data{
		Kind: "run", Title: "tn-order-20261202T100000Z-abcd", Generated: t0, Job: "tn-order", RunID: "tn-order-20261202T100000Z-abcd",
		State: "done", Endpoint: "production", Started: t0, Finished: t0.Add(time.Hour), Rows: 100_000,
		Settings: []Setting{{"concurrency", "4"}},
		Outcomes: []Count{{"ok", 99_000}, {"excluded", 990}, {"invalid", 10}},
		Files:    []File{{"results.csv", "results"}, {"odd name #1.csv", "x"}},
		Timeline: Timeline{Start: t0, Bucket: time.Minute, Source: "from run.log"},
	}
	for i := range reasons {
		d.Reasons = append(d.Reasons, Reason{Status: "excluded", Code: "tnOrder", Message: fmt.Sprintf("reason %d <script>alert(1)</script>", i), Rows: 99, Examples: []string{"line 2 (2013350101)"}})
	}
	for i := range points {
		d.Timeline.Points = append(d.Timeline.Points, Point{Requests: 60 + i, Rows: 6000, P50: 40, P95: 120, Throttled: i % 7 / 6, Retries: i % 5 / 4})
	}
	d.Timeline.Overall = Point{Requests: 1000, Rows: 100_000, P50: 40, P95: 120, Throttled: 3, Retries: 5}
	for i := range orders {
		d.OrderList = append(d.OrderList, Order{ID: fmt.Sprint(1000 + i), Reference: "ref", Status: "Closed", Final: true, Polls: 2})
	}
	d.OrdersTotal = 1000
	d.Orders = []Count{{"Closed", 1000}}
	return d
}

func TestWriteIsSelfContainedAndAccessible(t *testing.T) {
	tests := []struct {
		name   string
		data   Data
		checks []string
	}{
		{"full run", sample(60, 10, 50), []string{`role="img"`, `<title id="throughput-t">`, `<desc id="latency-d">`, "The numbers behind the charts",
			"reason 3 &lt;script&gt;", "1000 orders", "The first 50 of 1000 orders", `href="odd%20name%20%231.csv"`, "@media print"}},
		{"no timings", sample(0, 0, 0), []string{"No request timings were recorded", "Every row is ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, Write(&buf, tt.data))
			html := buf.String()
			for _, c := range tt.checks {
				assert.Contains(t, html, c)
			}
			assert.NotContains(t, html, "<script>", "text is escaped, no script")
			assert.NotRegexp(t, regexp.MustCompile(`(?i)(https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(|<link|<img|<iframe)`), html)
			// Every chart has its text alternative.
			assert.Equal(t, strings.Count(html, "<svg"), strings.Count(html, `role="img" aria-labelledby=`))
		})
	}
}

// A 100,000-row run's report is bounded by what the caller passes: the top
// reasons, the first orders and at most 60 time buckets.
func TestWriteSizeBounded(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, sample(60, 50, 50)))
	assert.Less(t, buf.Len(), 2<<20)
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		in   []float64
		q    float64
		want float64
	}{
		{nil, 0.5, 0},
		{[]float64{5}, 0.95, 5},
		{[]float64{4, 1, 3, 2}, 0.5, 2},
		{[]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0.95, 100},
		{[]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0.9, 90},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Percentile(tt.in, tt.q), "%v q=%v", tt.in, tt.q)
	}
}
