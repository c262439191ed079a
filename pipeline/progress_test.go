package pipeline

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type recordedProgress struct {
	mu    sync.Mutex
	calls []string
	last  int // the last Set
}

func (p *recordedProgress) add(s string) { p.mu.Lock(); p.calls = append(p.calls, s); p.mu.Unlock() }
func (p *recordedProgress) Planning(read, estimate int) {
	p.add(fmt.Sprintf("planning %d %d", read, estimate))
}
func (p *recordedProgress) Start(total, done int) { p.add(fmt.Sprintf("start %d %d", total, done)) }
func (p *recordedProgress) Set(n int)             { p.mu.Lock(); p.last = max(p.last, n); p.mu.Unlock() }
func (p *recordedProgress) Done()                 { p.add("done") }

// Progress starts before planning does, with the rows estimated from the
// manifest's size, and gets the exact total when planning ends.
func TestProgressFromPlanning(t *testing.T) {
	w := newWorld(t, 3000, nil)
	dir := t.TempDir()
	p := &recordedProgress{}
	rep, err := Start(t.Context(), Config{Job: lookup(t, "tn-note"), API: w.client(t, 0), Manifest: w.noteManifest(t, dir),
		Dir: filepath.Join(dir, "run"), RunID: "p", Endpoint: "sandbox", Log: quiet(), Progress: p, Opts: Options{Concurrency: 2}})
	require.NoError(t, err)
	require.Equal(t, 3000, rep.Rows)
	require.GreaterOrEqual(t, len(p.calls), 3)
	var read, estimate int
	_, err = fmt.Sscanf(p.calls[0], "planning %d %d", &read, &estimate)
	require.NoError(t, err, p.calls[0])
	assert.Equal(t, 0, read)
	assert.InDelta(t, 3000, estimate, 300, "estimate from the file size")
	assert.Contains(t, p.calls, "planning 2048 "+fmt.Sprint(estimate))
	// Sending overlaps planning: when the total is exact, some rows may
	// be decided already.
	i := len(p.calls) - 2
	var total, done int
	_, err = fmt.Sscanf(p.calls[i], "start %d %d", &total, &done)
	require.NoError(t, err, p.calls[i])
	assert.Equal(t, 3000, total)
	assert.LessOrEqual(t, done, 3000)
	assert.Equal(t, "done", p.calls[i+1])
	for _, c := range p.calls[:i] {
		assert.True(t, strings.HasPrefix(c, "planning "), "only planning before the exact total: %q", c)
	}
}

// The periodic log line appears at once when planning starts.
func TestLogProgressPlanningLine(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(os.Stderr, false, slog.New(slog.NewTextHandler(&buf, nil)), time.Hour)
	p.Planning(0, 1000)
	p.Planning(10, 1000) // within the interval: no line
	p.Start(990, 0)
	p.Done()
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "phase=planning"), out)
	assert.Contains(t, out, "totalEstimate=1000")
	assert.Contains(t, out, "total=990")
}

// The progress counts the rows decided at planning (invalid, duplicate)
// with those the runner decides, whether the total comes from the planner
// (it planned every row) or from the checkpoint: it ends at the total.
func TestProgressEndsAtTotal(t *testing.T) {
	w := newWorld(t, 1500, nil)
	dir := t.TempDir()
	manifest := mixedNoteManifest(t, w.tns, dir, 100, 3)
	p := &recordedProgress{}
	rep, err := Start(t.Context(), Config{Job: lookup(t, "tn-note"), API: w.client(t, 0), Manifest: manifest,
		Dir: filepath.Join(dir, "run"), RunID: "p", Endpoint: "sandbox", Log: quiet(), Progress: p, Opts: Options{Concurrency: 2}})
	require.NoError(t, err)
	require.Equal(t, 1530, rep.Rows)
	var total, done int
	for _, c := range p.calls {
		if strings.HasPrefix(c, "start ") {
			_, err = fmt.Sscanf(c, "start %d %d", &total, &done)
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 1530, total)
	assert.GreaterOrEqual(t, done, 30, "the rows decided at planning are done when the total is known")
	assert.Equal(t, 1530, p.last, "the progress ends at the total")
}
