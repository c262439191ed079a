package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/record"
)

func TestPlanSendSeconds(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		n    int
		want float64
	}{
		{"nothing to send", Plan{Rate: 2, Burst: 1}, 0, 0},
		{"burst 1 at 2/s: the first at once, then one every 0.5 s", Plan{Rate: 2, Burst: 1}, 3, 1},
		{"a burst covers them all", Plan{Rate: 2, Burst: 5}, 3, 0},
		{"burst 0 means 1", Plan{Rate: 10}, 101, 10},
		{"unlimited: concurrency per assumed latency", Plan{Concurrency: 4}, 10, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.plan.Concurrency == 0 {
				tt.plan.Concurrency = 1
			}
			assert.InDelta(t, tt.want, tt.plan.sendSeconds(tt.n), 0.001)
		})
	}
}

func TestReasonLine(t *testing.T) {
	rs := []Reason{
		{Status: record.StatusExcluded, Message: "TN is already assigned to this customer", Rows: 5},
		{Status: record.StatusExcluded, Message: "b", Rows: 3},
		{Status: record.StatusExcluded, Message: "c", Rows: 2},
		{Status: record.StatusExcluded, Message: "d", Rows: 1},
		{Status: record.StatusExcluded, Message: "e", Rows: 1},
		{Status: record.StatusInvalid, Message: strings.Repeat("x", 200), Rows: 1},
	}
	tests := []struct{ status, want string }{
		{record.StatusExcluded, "TN is already assigned to this customer (5); b (3); c (2); 2 more for other reasons"},
		{record.StatusInvalid, strings.Repeat("x", 117) + "... (1)"},
		{record.StatusFailed, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ReasonLine(rs, tt.status), tt.status)
	}
}

func TestBucketize(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	tests := []struct {
		name      string
		evs       []event
		bucket    time.Duration
		points    int
		requests  int
		rows      int
		throttled int
		p95       float64
	}{
		{"none", nil, 0, 0, 0, 0, 0, 0},
		{"a short run: 1 s buckets", []event{{at(0), 10, evRequest}, {at(0.5), 30, evRequest}, {at(2.2), 20, evRequest}, {at(2.3), 100, evRows}, {at(1), 0, evThrottle}},
			time.Second, 3, 3, 100, 1, 30},
		{"an hour: at most 60 buckets", []event{{at(0), 1, evRequest}, {at(3600), 1, evRequest}}, 2 * time.Minute, 31, 2, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := bucketize(tt.evs)
			assert.Equal(t, tt.bucket, tl.Bucket)
			assert.Len(t, tl.Points, tt.points)
			assert.LessOrEqual(t, len(tl.Points), maxBuckets)
			assert.Equal(t, tt.requests, tl.Overall.Requests)
			assert.Equal(t, tt.rows, tl.Overall.Rows)
			assert.Equal(t, tt.throttled, tl.Overall.Throttled)
			assert.Equal(t, tt.p95, tl.Overall.P95)
		})
	}
}

// The report reads run.log: request lines (token fetches left out), the
// client's slow-down and retry lines, HTTP 429s counted once with their
// slow-down line.
func TestTimelineFromRunLog(t *testing.T) {
	dir := t.TempDir()
	log := `{"time":"2026-12-02T10:00:00Z","level":"INFO","msg":"api request","op":"token","ms":7,"http":200}
{"time":"2026-12-02T10:00:00.1Z","level":"INFO","msg":"api request","op":"tnOrder","ms":10,"http":200}
{"time":"2026-12-02T10:00:01Z","level":"INFO","msg":"api request","op":"tnOrder","ms":5,"http":429}
{"time":"2026-12-02T10:00:01Z","level":"WARN","msg":"the API asked to slow down; backing off","op":"tnOrder"}
{"time":"2026-12-02T10:00:02Z","level":"INFO","msg":"api request","op":"tnOrder","ms":20,"http":200}
{"time":"2026-12-02T10:00:02Z","level":"WARN","msg":"the API asked to slow down; backing off","op":"tnOrder"}
{"time":"2026-12-02T10:00:03Z","level":"INFO","msg":"retrying","op":"tnNoteUpdate"}
not json
{"time":"2026-12-02T10:00:03Z","level":"INFO","msg":"progress","rows":5}
`
	path := filepath.Join(dir, "run.log")
	require.NoError(t, os.WriteFile(path, []byte(log), 0o600))
	tl := timeline(path, []checkpoints.BatchTiming{{DoneAt: time.Date(2026, 12, 2, 10, 0, 2, 0, time.UTC), Rows: 100}})
	assert.Equal(t, 3, tl.Overall.Requests)
	assert.Equal(t, 2, tl.Overall.Throttled, "the 429 once, the body 431 (no HTTP sign) once")
	assert.Equal(t, 3, tl.Overall.Retries)
	assert.Equal(t, 100, tl.Overall.Rows)
	assert.Equal(t, 20.0, tl.Overall.P95)
	assert.Contains(t, tl.Source, "run.log")

	tl = timeline(filepath.Join(dir, "missing.log"), nil)
	assert.Empty(t, tl.Points)
	assert.Contains(t, tl.Source, "run.log is missing")
}
