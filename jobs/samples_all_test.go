package jobs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/readers"
)

// TestEverySampleFromRegistry walks the registry: every kind iqbulk ships
// has samples/<kind>.csv and samples/<kind>.xlsx with the same cells, and
// every row is valid for the kind. go test ./jobs -run
// TestEverySampleFromRegistry -samples rewrites the XLSX of a kind whose
// XLSX is missing from its CSV.
func TestEverySampleFromRegistry(t *testing.T) {
	reg := Default()
	for _, job := range reg.All() {
		kind := job.Spec().Name
		t.Run(kind, func(t *testing.T) {
			recs := readSampleCSV(t, kind)
			xlsxPath := filepath.Join("..", "samples", kind+".xlsx")
			if _, err := os.Stat(xlsxPath); *writeSamples && errors.Is(err, os.ErrNotExist) {
				writeSampleXLSX(t, xlsxPath, kind, recs)
			}
			r, err := readers.Open(xlsxPath, readers.Options{})
			require.NoError(t, err, "run go test ./jobs -run TestEverySampleFromRegistry -samples")
			defer r.Close()
			assert.Equal(t, recs[0], r.Header())
			m, err := readers.MapHeader(r.Header(), job.Spec().ReaderColumns())
			require.NoError(t, err)
			for i := 1; ; i++ {
				rr, err := r.Next()
				if errors.Is(err, io.EOF) {
					assert.Equal(t, len(recs), i, "as many rows as the CSV")
					break
				}
				require.NoError(t, err)
				require.Less(t, i, len(recs))
				assert.Equal(t, recs[i], rr.Values[:len(recs[i])], "row %d", i+1)
				_, errs := job.Parse(Row{Line: rr.Line, Dir: filepath.Dir(xlsxPath), Get: func(c string) string { return m.Get(rr, c) }})
				assert.Empty(t, errs, "row %d of the sample is valid", rr.Line)
			}
		})
	}
}
