package pipeline

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/record"
)

// TestResultsWrittenWhileRunning: a run writes its results as the rows
// with final outcomes grow from the manifest's start, and the files it
// ends with are the ones a rebuild from the checkpoint writes, byte for
// byte (invalid and duplicate rows included).
//
// The rows the runner decides reach the files from memory (outputs.feed),
// the others from the checkpoint; with room for only a few rows in memory
// the checkpoint serves the rest, and the files are the same.
func TestResultsWrittenWhileRunning(t *testing.T) {
	for _, tt := range []struct {
		name   string
		maxFed int
	}{{"fed from memory", 50_000}, {"memory full: from the checkpoint", 150}} {
		t.Run(tt.name, func(t *testing.T) {
			defer func(n int) { maxFed = n }(maxFed)
			maxFed = tt.maxFed
			testResultsWrittenWhileRunning(t, tt.maxFed >= 2000)
		})
	}
}

func testResultsWrittenWhileRunning(t *testing.T, allFed bool) {
	w := newWorld(t, 2000, nil)
	dir := t.TempDir()
	manifest := mixedNoteManifest(t, w.tns, dir, 250, 7)
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	out := filepath.Join(dir, "run")
	// 12 requests a second: the run lasts about two seconds, so the
	// results are written in several steps while it goes on (the
	// checkpoint is asked every second).
	rep, err := Start(t.Context(), Config{Job: lookup(t, "tn-note"), API: w.client(t, 12), Manifest: manifest, Dir: out,
		RunID: "r", Endpoint: "sandbox", Log: log, Opts: Options{Concurrency: 2}})
	require.NoError(t, err)
	require.Equal(t, 2000, rep.Outcomes["ok"])
	match := regexp.MustCompile(`rowsWrittenWhileRunning=(\d+)`).FindStringSubmatch(logBuf.String())
	require.NotNil(t, match, logBuf.String())
	early, _ := strconv.Atoi(match[1])
	assert.Positive(t, early, "rows written while the run went on")
	assert.LessOrEqual(t, early, rep.Rows)
	match = regexp.MustCompile(`fromMemory=(\d+)`).FindStringSubmatch(logBuf.String())
	require.NotNil(t, match, logBuf.String())
	fromMemory, _ := strconv.Atoi(match[1])
	if allFed {
		// Every row written while running but the first invalid and
		// duplicate ones' neighbours came from memory.
		assert.Greater(t, fromMemory, early/2, "rows written from memory")
	}
	assert.LessOrEqual(t, fromMemory, early)
	t.Logf("written while running %d, from memory %d", early, fromMemory)

	st, err := checkpoints.Open(t.Context(), filepath.Join(out, stateFile))
	require.NoError(t, err)
	defer st.Close()
	run, err := st.Run(t.Context())
	require.NoError(t, err)
	again := filepath.Join(dir, "again")
	require.NoError(t, os.MkdirAll(again, 0o700))
	files := FilesFor("csv")
	require.NoError(t, WriteOutputs(t.Context(), st, run, lookup(t, "tn-note").Spec(), again, files))
	for _, f := range []string{files.Results, files.Failed, files.Excluded} {
		want, err := os.ReadFile(filepath.Join(again, f))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), f)
	}
	failed, err := os.ReadFile(filepath.Join(out, files.Failed))
	require.NoError(t, err)
	assert.Equal(t, 8, strings.Count(string(failed), "bad number"), "the invalid rows")
}

// A row fed after the checkpoint already served it (fed between its
// commit and the feed) is not kept: it would never be taken, and would
// hold a place of maxFed for the rest of the run.
func TestFeedSkipsRowsAlreadyWritten(t *testing.T) {
	o := &outputs{}
	o.dropFed(0, 10) // the checkpoint wrote rows 1..10
	o.written = 10
	var sent []record.Row
	var outs []record.RowOutcome
	for seq := 5; seq <= 12; seq++ {
		sent = append(sent, record.Row{Seq: seq, Line: seq + 1})
		outs = append(outs, record.RowOutcome{Seq: seq, Outcome: record.Outcome{Status: record.StatusOK}})
	}
	o.feed(checkpoints.Batch{CustomerOrderReference: "r-1"}, sent, outs)
	assert.Len(t, o.fed, 2)
	got := o.takeFed()
	require.Len(t, got, 2)
	assert.Equal(t, 11, got[0].row.Seq)
	assert.Equal(t, "r-1", got[1].ref)
	assert.Equal(t, 12, o.past)
}

// mixedNoteManifest writes a tn-note manifest of tns in which, after every
// every-th number (from the offset-th), an invalid row and a duplicate of
// that number follow: rows the planner decides itself.
func mixedNoteManifest(t *testing.T, tns []string, dir string, every, offset int) string {
	t.Helper()
	var m strings.Builder
	m.WriteString("tn,note\n")
	for i, tn := range tns {
		fmt.Fprintf(&m, "%s,note %d\n", tn, i)
		if i%every == offset {
			m.WriteString("12,bad number\n")
			fmt.Fprintf(&m, "%s,duplicate\n", tn)
		}
	}
	manifest := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(manifest, []byte(m.String()), 0o600))
	return manifest
}
