package pipeline

import (
	"context"
	"fmt"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/writers"
)

// emitManifest writes the manifest a finished run of an Emitter seeds (csr
// -> port-in), in the target kind's columns, CSV or XLSX by the file's
// extension. It returns how many rows it wrote.
func emitManifest(ctx context.Context, st *checkpoints.Store, job jobs.Job, path string) (int, error) {
	e, ok := job.(jobs.Emitter)
	if !ok {
		return 0, fmt.Errorf("%s does not emit a manifest", job.Spec().Name)
	}
	target, err := jobs.Default().Lookup(e.EmitsFor())
	if err != nil {
		return 0, err
	}
	format, err := writers.FormatFromPath(path)
	if err != nil {
		return 0, err
	}
	cols := target.Spec().Columns
	w, err := writers.Create(path, format, writers.WithSheet(target.Spec().Name))
	if err != nil {
		return 0, err
	}
	defer abort(w)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	if err := w.WriteHeader(header); err != nil {
		return 0, err
	}
	n := 0
	for row, err := range st.Rows(ctx) {
		if err != nil {
			return 0, err
		}
		if cells, ok := e.Emit(row, cols); ok {
			if err := w.WriteRow(cells); err != nil {
				return 0, err
			}
			n++
		}
	}
	return n, w.Close()
}
