package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// syncBuffer is a log sink written by the run's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPaceWarnsWhenWorkersBoundTheRun: answers that take 100 ms with one
// worker allow 10 requests a second of the 50 the rate allows: the run
// says the workers bound it, with a concurrency that would reach the rate.
// When the limiter is what holds the workers back, it says nothing.
func TestPaceWarnsWhenWorkersBoundTheRun(t *testing.T) {
	saved := paceWindow
	paceWindow = time.Second
	t.Cleanup(func() { paceWindow = saved })
	run := func(t *testing.T, rows int, latency time.Duration, rate float64, workers int) string {
		w := newWorld(t, rows, nil)
		w.srv.SetFaults(sandbox.Faults{Latency: latency})
		dir := t.TempDir()
		var logs syncBuffer
		rep, err := Start(context.Background(), Config{Job: lookup(t, "tn-note"), API: w.client(t, rate), Manifest: w.noteManifest(t, dir),
			Dir: filepath.Join(dir, "run"), RunID: "pace", Endpoint: "sandbox", Log: slog.New(slog.NewJSONHandler(&logs, nil)),
			Opts: Options{Concurrency: workers, BatchSize: 1}})
		require.NoError(t, err)
		require.Equal(t, rows, rep.Outcomes[record.StatusOK])
		return logs.String()
	}
	t.Run("workers bound", func(t *testing.T) {
		logs := run(t, 15, 100*time.Millisecond, 50, 1)
		assert.Contains(t, logs, "the workers, not the rate limit, bound this run")
		assert.Contains(t, logs, `"concurrency":1`)
		assert.Contains(t, logs, `"secondsPerRequest":0.1`)
		assert.Regexp(t, `"suggestedConcurrency":[678]\b`, logs, "50 requests/s ÷ 10 per worker, and a fifth more")
	})
	t.Run("the rate binds", func(t *testing.T) {
		logs := run(t, 12, 0, 10, 4)
		assert.NotContains(t, logs, "the workers, not the rate limit")
	})
}
