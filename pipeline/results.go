package pipeline

import (
	"context"
	"path/filepath"
	"strconv"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// Files names the outputs of a run, relative to the run directory.
type Files struct {
	Results  string `json:"results"`
	Failed   string `json:"failed"`
	Excluded string `json:"excluded"`
	Summary  string `json:"summary"`
	Log      string `json:"log"`
}

// FilesFor returns the output names for a manifest format ("csv" or "xlsx").
func FilesFor(format string) Files {
	if format != "xlsx" {
		format = "csv"
	}
	return Files{
		Results:  "results." + format,
		Failed:   "failed." + format,
		Excluded: "excluded." + format,
		Summary:  "summary.json",
		Log:      "run.log",
	}
}

// WriteOutputs rebuilds the results, failed and excluded files from the
// checkpoint, streaming: they are complete and consistent after any number of
// crashes, because the checkpoint is the only source.
func WriteOutputs(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, spec jobs.Spec, dir string, files Files) error {
	format, err := writers.FormatFromPath(files.Results)
	if err != nil {
		return err
	}
	batches, err := st.Batches(ctx)
	if err != nil {
		return err
	}
	refs := make(map[int64]string, len(batches))
	byID := make(map[int64]checkpoints.Batch, len(batches))
	for _, b := range batches {
		refs[b.ID] = b.CustomerOrderReference
		byID[b.ID] = checkpoints.Batch{State: b.State, Error: b.Error}
	}
	results, err := writers.Create(filepath.Join(dir, files.Results), format, writers.WithSheet("results"))
	if err != nil {
		return err
	}
	defer abort(results)
	failed, err := writers.Create(filepath.Join(dir, files.Failed), format, writers.WithSheet("failed"))
	if err != nil {
		return err
	}
	defer abort(failed)

	width := len(run.Header)
	header := append(writers.ResultHeader(run.Header), spec.Outputs...)
	if err := results.WriteHeader(header); err != nil {
		return err
	}
	if err := failed.WriteHeader(run.Header); err != nil {
		return err
	}
	cells := make([]string, len(header))
	for row, err := range st.OutputRows(ctx) {
		if err != nil {
			return err
		}
		if row.Status == "" {
			b := byID[row.Batch]
			row.Outcome = record.Undecided(b.State, b.Error)
		}
		n := copy(cells[:width], row.Values)
		clear(cells[n:width])
		out := cells[width:]
		batch := ""
		if row.Batch > 0 {
			batch = strconv.FormatInt(row.Batch, 10)
		}
		copy(out, []string{strconv.Itoa(row.Line), row.Status, row.Code, row.Message, row.OrderID, refs[row.Batch], batch})
		for i, c := range spec.Outputs {
			out[len(writers.ResultColumns)+i] = row.Extra[c]
		}
		if err := results.WriteRow(cells); err != nil {
			return err
		}
		if record.Rerunnable(row.Outcome) {
			if err := failed.WriteRow(cells[:width]); err != nil {
				return err
			}
		}
	}
	if err := results.Close(); err != nil {
		return err
	}
	if err := failed.Close(); err != nil {
		return err
	}
	return writeExcluded(ctx, st, filepath.Join(dir, files.Excluded), format)
}

func writeExcluded(ctx context.Context, st *checkpoints.Store, path string, format writers.Format) error {
	w, err := writers.Create(path, format, writers.WithSheet("excluded"))
	if err != nil {
		return err
	}
	defer abort(w)
	if err := w.WriteHeader(writers.ExcludedColumns); err != nil {
		return err
	}
	for x, err := range st.Excluded(ctx) {
		if err != nil {
			return err
		}
		row := jobs.ExcludedCells(x)
		if err := w.WriteRow(row); err != nil {
			return err
		}
	}
	return w.Close()
}

// abort drops a half-written output, keeping the previous complete one. After
// a successful Close it does nothing.
func abort(t writers.Table) {
	if a, ok := t.(writers.Aborter); ok {
		_ = a.Abort()
	}
}
