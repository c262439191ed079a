package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestSnapshotReadFailureSendsNothing: when the snapshot read fails, the
// batch is not sent (never without its snapshot); its rows are failed
// with code not-sent and a resume reads and sends them. With --no-snapshot
// nothing is read.
func TestSnapshotReadFailureSendsNothing(t *testing.T) {
	tests := []struct {
		name       string
		noSnapshot bool
		failReads  bool
		wantOK     int // rows ok after the first run
		wantSnaps  int // after the first run
	}{
		{"reads fail: nothing sent", false, true, 0, 0},
		{"reads work: snapshot kept", false, false, 12, 12},
		{"--no-snapshot: nothing read", true, true, 12, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
			require.NoError(t, err)
			defer srv.Close()
			var failing atomic.Bool
			failing.Store(tt.failReads)
			reads := atomic.Int64{}
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/tnDetail") {
					reads.Add(1)
					if failing.Load() {
						http.Error(w, "down", http.StatusBadGateway)
						return
					}
				}
				srv.ServeHTTP(w, r)
			}))
			defer hs.Close()
			api, err := inteliquent.New(inteliquent.Config{BaseURL: hs.URL + "/Services/1.0.0", Key: sandbox.DemoKey, Secret: sandbox.DemoSecret,
				Retries: 1, Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
			require.NoError(t, err)
			tns := []string{"3123489651", "3123489652", "3123489653", "3123489654", "3123489655", "3123489656",
				"3123489657", "3123489658", "3123489659", "3124795862", "3124795863", "7735162004"}
			var m strings.Builder
			m.WriteString("tn,note\n")
			for _, tn := range tns {
				m.WriteString(tn + ",changed\n")
			}
			manifest := filepath.Join(dir, "m.csv")
			require.NoError(t, os.WriteFile(manifest, []byte(m.String()), 0o600))
			cfg := Config{Job: lookup(t, "tn-note"), API: api, Manifest: manifest, Dir: filepath.Join(dir, "run"),
				RunID: "snap", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 2, BatchSize: 5, NoSnapshot: tt.noSnapshot}}

			rep, err := Start(context.Background(), cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.wantOK, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
			audit, err := sandbox.ReadAudit(filepath.Join(dir, "sandbox"))
			require.NoError(t, err)
			sent := 0
			for _, e := range audit {
				if e.Op == "tnNoteUpdate" {
					sent++
				}
			}
			assert.Equal(t, tt.wantSnaps, snapsIn(t, cfg.Dir))
			if tt.noSnapshot {
				assert.Zero(t, reads.Load(), "--no-snapshot reads nothing")
				return
			}
			if !tt.failReads {
				assert.Equal(t, 3, sent)
				return
			}
			assert.Zero(t, sent, "nothing sent without its snapshot")
			assert.Equal(t, len(tns), rep.Outcomes[record.StatusFailed], "rows failed (not sent): %v", rep.Outcomes)
			assert.Equal(t, 3, rep.ExitCode(), "resumable")

			failing.Store(false)
			rep, err = Resume(context.Background(), cfg)
			require.NoError(t, err)
			assert.Equal(t, len(tns), rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
			assert.Equal(t, len(tns), snapsIn(t, cfg.Dir))
		})
	}
}

func snapsIn(t *testing.T, dir string) int {
	t.Helper()
	st, err := checkpoints.Open(t.Context(), filepath.Join(dir, "state.db"))
	require.NoError(t, err)
	defer st.Close()
	n := 0
	for sn, err := range st.Snapshots(t.Context()) {
		require.NoError(t, err)
		assert.True(t, sn.Found, sn.Key)
		n++
	}
	return n
}
