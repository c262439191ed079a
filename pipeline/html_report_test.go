package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// TestBigRunLeavesUndoCountToReport: a run with more rows than
// undoCountedAtEnd does not read every row again for report.html's undo
// count when it ends (the tail after the last request); the report says
// so, and `iqbulk report` (WriteReport) counts it.
func TestBigRunLeavesUndoCountToReport(t *testing.T) {
	defer func(n int) { undoCountedAtEnd = n }(undoCountedAtEnd)
	w := newWorld(t, 6, nil)
	dir := t.TempDir()
	runDir := filepath.Join(dir, "run")
	for _, limit := range []int{100, 5} {
		undoCountedAtEnd = limit
		require.NoError(t, os.RemoveAll(runDir))
		rep, err := Start(context.Background(), Config{Job: lookup(t, "tn-note"), API: w.client(t, 0), Manifest: w.noteManifest(t, dir),
			Dir: runDir, RunID: "r", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 2}})
		require.NoError(t, err)
		require.Equal(t, 6, rep.Outcomes[record.StatusOK])
		html, err := os.ReadFile(filepath.Join(runDir, ReportFile))
		require.NoError(t, err)
		if limit >= 6 {
			assert.NotContains(t, string(html), "was not counted", "a run within the limit counts what undo cannot restore")
			continue
		}
		assert.Contains(t, string(html), "was not counted when this run of 6 rows ended")
		_, err = WriteReport(context.Background(), runDir)
		require.NoError(t, err)
		html, err = os.ReadFile(filepath.Join(runDir, ReportFile))
		require.NoError(t, err)
		assert.NotContains(t, string(html), "was not counted", "iqbulk report counts it")
		assert.Contains(t, string(html), "iqbulk undo")
	}
}
