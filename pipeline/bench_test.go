package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/ratelimit"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// world is an in-memory sandbox behind a loopback server, with numbers
// already on the account, and a client for it.
type world struct {
	srv *sandbox.Server
	url string
	tns []string
}

func newWorld(tb testing.TB, n int, wrap func(http.Handler) http.Handler) *world {
	tb.Helper()
	srv, err := sandbox.New(sandbox.Options{})
	require.NoError(tb, err)
	tb.Cleanup(func() { srv.Close() })
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(h)
	}
	hs := httptest.NewServer(h)
	tb.Cleanup(hs.Close)
	w := &world{srv: srv, url: hs.URL + "/Services/1.0.0", tns: srv.AvailableTNs(n)}
	api := w.client(tb, 0)
	ctx := context.Background()
	for i := 0; i < len(w.tns); i += jobs.MaxBatch {
		req := &inteliquent.TnOrderRequest{}
		for _, tn := range w.tns[i:min(i+jobs.MaxBatch, len(w.tns))] {
			req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: inteliquent.TN(tn)})
		}
		_, err := api.TnOrder(ctx, req)
		require.NoError(tb, err)
	}
	return w
}

func (w *world) client(tb testing.TB, rate float64) *inteliquent.Client {
	api, err := inteliquent.New(inteliquent.Config{BaseURL: w.url, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret, Limiter: ratelimit.New(rate, 0)})
	require.NoError(tb, err)
	return api
}

// noteManifest writes a tn-note manifest for the world's numbers.
func (w *world) noteManifest(tb testing.TB, dir string) string {
	var m strings.Builder
	m.WriteString("tn,note\n")
	for i, tn := range w.tns {
		fmt.Fprintf(&m, "%s,note %d\n", tn, i)
	}
	path := filepath.Join(dir, "notes.csv")
	require.NoError(tb, os.WriteFile(path, []byte(m.String()), 0o600))
	return path
}

func lookup(tb testing.TB, name string) jobs.Job {
	j, err := jobs.Default().Lookup(name)
	require.NoError(tb, err)
	return j
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// BenchmarkOverhead compares, in one run, a 100,000-row tn-note through the
// whole engine (plan, checkpoint, workers, results files) at unlimited rate
// with a bare loop of the same tnNoteUpdate calls. Goal: ratio >= 0.8.
//
//	go test -run '^$' -bench Overhead -benchtime 1x ./pipeline/
//
// The sub-benchmark with latency injects 2 ms per answer in the sandbox, a
// fraction of a real API's round trip, where the engine's concurrency shows.
func BenchmarkOverhead(b *testing.B) {
	for _, latency := range []time.Duration{0, 2 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) { benchOverhead(b, latency) })
	}
}

func benchOverhead(b *testing.B, latency time.Duration) {
	const n = 100_000
	w := newWorld(b, n, nil)
	w.srv.SetFaults(sandbox.Faults{Latency: latency})
	job := lookup(b, "tn-note")
	for b.Loop() {
		api := w.client(b, 0)
		ctx := context.Background()
		start := time.Now()
		for i := 0; i < n; i += jobs.MaxBatch {
			req := &inteliquent.TnNoteUpdateRequest{}
			for j, tn := range w.tns[i:min(i+jobs.MaxBatch, n)] {
				req.TnNote.TnList.TnItem = append(req.TnNote.TnList.TnItem, inteliquent.TnNoteItem{TN: inteliquent.TN(tn), TnNote: fmt.Sprintf("note %d", i+j)})
			}
			_, err := api.TnNoteUpdate(ctx, req)
			require.NoError(b, err)
		}
		bare := float64(n) / time.Since(start).Seconds()

		dir := b.TempDir()
		manifest := w.noteManifest(b, dir)
		start = time.Now()
		rep, err := Start(ctx, Config{Job: job, API: w.client(b, 0), Manifest: manifest, Dir: filepath.Join(dir, "run"),
			RunID: "bench", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 4}})
		require.NoError(b, err)
		require.Equal(b, n, rep.Outcomes[record.StatusOK])
		engine := float64(n) / time.Since(start).Seconds()
		b.ReportMetric(bare, "bare-rows/s")
		b.ReportMetric(engine, "engine-rows/s")
		b.ReportMetric(engine/bare, "ratio")
		fmt.Printf("overhead (sandbox latency %s): bare loop %.0f rows/s, engine %.0f rows/s, ratio %.2f (goal >= 0.8)\n", latency, bare, engine, engine/bare)
	}
}

// BenchmarkRateFidelity runs tn-note one number per request at --rate 50
// for 30 s against an unthrottled sandbox and reports the achieved rate
// over the configured one (goal >= 0.97) and the most requests seen in any
// one-second window (goal <= rate + burst).
//
//	go test -run '^$' -bench RateFidelity -benchtime 1x ./pipeline/
func BenchmarkRateFidelity(b *testing.B) {
	const rate, seconds = 50, 30
	var mu sync.Mutex
	var stamps []time.Time
	w := newWorld(b, rate*seconds, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/tnNoteUpdate") {
				mu.Lock()
				stamps = append(stamps, time.Now())
				mu.Unlock()
			}
			h.ServeHTTP(rw, r)
		})
	})
	job := lookup(b, "tn-note")
	for b.Loop() {
		stamps = stamps[:0]
		dir := b.TempDir()
		lim := ratelimit.New(rate, 0)
		api, err := inteliquent.New(inteliquent.Config{BaseURL: w.url, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret, Limiter: lim})
		require.NoError(b, err)
		rep, err := Start(context.Background(), Config{Job: job, API: api, Manifest: w.noteManifest(b, dir), Dir: filepath.Join(dir, "run"),
			RunID: "rate", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 4, BatchSize: 1}})
		require.NoError(b, err)
		require.Equal(b, rate*seconds, rep.Outcomes[record.StatusOK])
		mu.Lock()
		achieved, worst := fidelity(stamps)
		mu.Unlock()
		burst := ratelimit.DefaultBurst
		b.ReportMetric(achieved/rate, "achieved/configured")
		b.ReportMetric(float64(worst), "max-per-1s-window")
		fmt.Printf("rate fidelity: configured %d/s, achieved %.2f/s (%.1f%%, goal >= 97%%); busiest 1-s window %d requests (goal <= rate+burst = %d)\n",
			rate, achieved, 100*achieved/rate, worst, rate+burst)
	}
}

// fidelity returns the achieved request rate between the first and last
// request, and the most requests in any window of one second.
func fidelity(ts []time.Time) (float64, int) {
	if len(ts) < 2 {
		return 0, len(ts)
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	achieved := float64(len(ts)-1) / ts[len(ts)-1].Sub(ts[0]).Seconds()
	worst, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= time.Second {
			j++
		}
		worst = max(worst, i-j+1)
	}
	return achieved, worst
}
