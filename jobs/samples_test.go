package jobs

import (
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/iqbulk/iqbulk/readers"
)

var writeSamples = flag.Bool("samples", false, "rewrite ../samples/<kind>.xlsx from ../samples/<kind>.csv")

// lifecycleSamples are the number-lifecycle kinds whose samples live in
// samples/<kind>.csv and samples/<kind>.xlsx (same content).
var lifecycleSamples = []string{"tn-order", "tn-note", "tn-disconnect", "tn-trunk-group", "tn-feature", "tn-pin", "tn-reserve", "tn-release"}

func readSampleCSV(t *testing.T, kind string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "samples", kind+".csv"))
	require.NoError(t, err, "every job kind ships samples/%s.csv", kind)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

// TestSamples walks the registry: every job kind ships samples/<kind>.csv
// and samples/<kind>.xlsx, the XLSX holds the CSV's cells (text cells, so
// "(201) 554-0102" stays as written), and every row of either is valid for
// its kind. Adding a kind adds it here; there is no list to extend.
// Regenerate the XLSX from the CSV with: go test ./jobs -run TestSamples -samples
func TestSamples(t *testing.T) {
	for _, job := range Default().All() {
		kind := job.Spec().Name
		t.Run(kind, func(t *testing.T) {
			recs := readSampleCSV(t, kind)
			require.Greater(t, len(recs), 1, "the sample has a header and at least one row")
			xlsxPath := filepath.Join("..", "samples", kind+".xlsx")
			if *writeSamples {
				writeSampleXLSX(t, xlsxPath, kind, recs)
			}
			for _, path := range []string{filepath.Join("..", "samples", kind+".csv"), xlsxPath} {
				r, err := readers.Open(path, readers.Options{})
				require.NoError(t, err, "run go test ./jobs -run TestSamples -samples")
				assert.Equal(t, recs[0], r.Header(), path)
				m, err := readers.MapHeader(r.Header(), job.Spec().ReaderColumns())
				require.NoError(t, err, path)
				for i := 1; ; i++ {
					rr, err := r.Next()
					if errors.Is(err, io.EOF) {
						assert.Equal(t, len(recs), i, "%s: as many rows as the CSV", path)
						break
					}
					require.NoError(t, err, path)
					require.Less(t, i, len(recs), path)
					assert.Equal(t, recs[i], rr.Values[:len(recs[i])], "%s row %d", path, i+1)
					_, errs := job.Parse(Row{Line: rr.Line, Dir: filepath.Dir(path), Get: func(c string) string { return m.Get(rr, c) }})
					assert.Empty(t, errs, "%s row %d is valid", path, rr.Line)
				}
				require.NoError(t, r.Close())
			}
		})
	}
}

func writeSampleXLSX(t *testing.T, path, sheet string, recs [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer func() { require.NoError(t, f.Close()) }()
	require.NoError(t, f.SetSheetName("Sheet1", sheet))
	for i, rec := range recs {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		vals := make([]any, len(rec))
		for j, v := range rec {
			vals[j] = v
		}
		require.NoError(t, f.SetSheetRow(sheet, cell, &vals))
	}
	require.NoError(t, f.SaveAs(path))
}
