package pipeline

import (
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/ratelimit"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestEveryKindRunsItsSamples is the per-kind test: it walks the job
// registry, not a list, so a new kind is covered by adding its file in
// jobs/ and its samples.
func TestEveryKindRunsItsSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every kind's samples four times against the sandbox")
	}
	runEveryKind(t, jobs.Default(), filepath.Join("..", "samples"))
}

// runEveryKind runs each kind of reg from dir/<kind>.csv and
// dir/<kind>.xlsx against one in-memory sandbox, as a dry run and for real:
// every row gets an outcome (that rows parse is jobs.TestSamples' part;
// some samples hold rows the API refuses on purpose); a dry run changes nothing
// in the sandbox (its audit log of state-changing requests stays as it
// was) and places no order; a real run talks to the API.
func runEveryKind(t *testing.T, reg *jobs.Registry, dir string) {
	srv, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	kinds := reg.All()
	require.NotEmpty(t, kinds)
	for _, job := range kinds {
		kind := job.Spec().Name
		for _, ext := range []string{"csv", "xlsx"} {
			manifest := filepath.Join(dir, kind+"."+ext)
			for _, dry := range []bool{true, false} {
				mode := map[bool]string{true: "dry-run", false: "run"}[dry]
				t.Run(kind+"/"+ext+"/"+mode, func(t *testing.T) {
					require.FileExists(t, manifest, "every job kind ships samples/%s.csv and .xlsx", kind)
					rows := sampleRows(t, manifest)
					api, err := inteliquent.New(inteliquent.Config{BaseURL: hs.URL + "/Services/1.0.0",
						Key: sandbox.DemoKey, Secret: sandbox.DemoSecret, Limiter: ratelimit.New(0, 0), DryRun: dry})
					require.NoError(t, err)
					audit := len(srv.Audit())
					rep, err := Start(context.Background(), Config{Job: job, API: api, Manifest: manifest,
						Dir: filepath.Join(t.TempDir(), "run"), RunID: kind + "-" + ext + "-" + mode, Endpoint: "sandbox",
						Log: quiet(), Opts: Options{DryRun: dry, Concurrency: 2}})
					require.NoError(t, err)
					require.False(t, rep.Stopped)
					assert.Equal(t, rows, rep.Rows, "one result per manifest row")
					total := 0
					for _, n := range rep.Outcomes {
						total += n
					}
					assert.Equal(t, rows, total, "every row has an outcome: %v", rep.Outcomes)
					if dry {
						assert.Len(t, srv.Audit(), audit, "a dry run changes nothing")
						assert.Zero(t, rep.Outcomes[record.StatusPending], "a dry run places no order")
					} else {
						assert.Positive(t, rep.API.Requests, "a real run calls the API")
					}
				})
			}
		}
	}
}

// sampleRows counts the data rows of a CSV or XLSX manifest.
func sampleRows(t *testing.T, path string) int {
	t.Helper()
	if filepath.Ext(path) == ".xlsx" {
		f, err := excelize.OpenFile(path)
		require.NoError(t, err)
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		require.NoError(t, err)
		return len(rows) - 1
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return len(recs) - 1
}

// toyKind is a job kind that exists only in this test: tn-note's
// behaviour under another name, counting what it sends.
type toyKind struct {
	jobs.Job
	sent *atomic.Int64
}

func (k toyKind) Spec() jobs.Spec {
	s := k.Job.Spec()
	s.Name, s.Summary = "toy-note", "a kind registered by a test"
	return s
}

func (k toyKind) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	k.sent.Add(1)
	return k.Job.Send(ctx, api, req)
}

// TestToyKindIsExercisedByTheGenericTest registers a kind in the test, gives
// it samples, and shows that the generic per-kind test runs it (dry and
// real, CSV and XLSX) without any list naming it.
func TestToyKindIsExercisedByTheGenericTest(t *testing.T) {
	note, err := jobs.Default().Lookup("tn-note")
	require.NoError(t, err)
	toy := toyKind{Job: note, sent: new(atomic.Int64)}
	reg, err := jobs.NewRegistry(toy)
	require.NoError(t, err)

	// The toy's samples: numbers already on the sandbox's account.
	dir := t.TempDir()
	recs := [][]string{{"tn", "note"}, {"3123489651", "toy one"}, {"3123489652", "toy two"}}
	f, err := os.Create(filepath.Join(dir, "toy-note.csv"))
	require.NoError(t, err)
	require.NoError(t, csv.NewWriter(f).WriteAll(recs))
	require.NoError(t, f.Close())
	x := excelize.NewFile()
	for i, rec := range recs {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, x.SetSheetRow("Sheet1", cell, &[]any{rec[0], rec[1]}))
	}
	require.NoError(t, x.SaveAs(filepath.Join(dir, "toy-note.xlsx")))
	require.NoError(t, x.Close())

	runEveryKind(t, reg, dir)
	// One batch per run, CSV and XLSX, dry and real: a dry run's request
	// stops in the client (ErrDryRun), which runEveryKind checks against
	// the sandbox's audit log.
	assert.EqualValues(t, 4, toy.sent.Load(), "the generic test ran the toy kind")
}
