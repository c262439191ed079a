package writers

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./writers/ -update")
	assert.Equal(t, string(want), string(got), "output differs from %s (go test ./writers/ -update rewrites it)", path)
}

// sampleHeader and sampleRows cover the values results files carry:
// numbers as text, E.164 numbers, formula-looking values, quoting and
// multi-line messages, non-ASCII addresses, empty cells.
var sampleHeader = ResultHeader([]string{"tn", "note", "city"})

var sampleRows = [][]string{
	Result{Row: 2, Status: "ok", Code: "200", Message: "Success", OrderID: "12346987", CustomerOrderReference: "iq-20261127-0001", Batch: "1"}.Cells([]string{"3125550100", "plain", "Chicago"}),
	Result{Row: 3, Status: "excluded", Code: "200", Message: "6123453624 TN is on an existing order", Batch: "1"}.Cells([]string{"+13125550101", "=HYPERLINK(\"http://x\",\"y\")", "Saint-Lô"}),
	Result{Row: 4, Status: "invalid", Code: "409", Message: "Invalid TN submitted:\nline two", Batch: ""}.Cells([]string{"0012", "@SUM(A1)", "São Paulo, SP"}),
	Result{Row: 5, Status: "failed", Code: "431", Message: "-5 tries left", Batch: "2"}.Cells([]string{"-3125550102", "\tTAB", "\rCR"}),
	Result{Row: 6, Status: "skipped", Code: "", Message: "'=already quoted", Batch: "2"}.Cells([]string{"", "it's fine", "\"quoted\""}),
}

func TestFormatFromPath(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr bool
	}{
		{"results.csv", CSV, false},
		{"/runs/x/RESULTS.CSV", CSV, false},
		{"inventory.xlsx", XLSX, false},
		{"cdr.jsonl", JSONL, false},
		{"cdr.ndjson", JSONL, false},
		{"results.xls", "", true},
		{"results", "", true},
		{"results.csv.gz", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := FormatFromPath(tt.path)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrUnknownFormat)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"csv", CSV, false}, {"XLSX", XLSX, false}, {".jsonl", JSONL, false}, {" csv ", CSV, false},
		{"json", "", true}, {"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrUnknownFormat)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"3125550100", "3125550100"},
		{"+13125550100", "'+13125550100"},
		{"-5", "'-5"},
		{"=1+2", "'=1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"\nx", "\nx"},
		{" =1", " =1"},
		{"'", "'"},
		{"'abc", "'abc"},
		{"'=1", "''=1"},
		{"''+1", "'''+1"},
		{"a=b", "a=b"},
		{"Saint-Lô", "Saint-Lô"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Neutralize(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, Unneutralize(got), "Unneutralize must undo Neutralize")
		})
	}
}

func TestResultHeader(t *testing.T) {
	tests := []struct {
		name     string
		manifest []string
		want     []string
	}{
		{"no clash", []string{"tn"}, append([]string{"tn"}, ResultColumns...)},
		{"clash", []string{"tn", "status", "iqbulk_status"},
			[]string{"tn", "status", "iqbulk_status", "row", "iqbulk_iqbulk_status", "code", "message", "order_id", "customer_order_reference", "batch"}},
		{"empty manifest", nil, ResultColumns},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResultHeader(tt.manifest)
			assert.Equal(t, tt.want, got)
			var s shape
			require.NoError(t, s.header(got), "a result header must be accepted by every Table")
		})
	}
}

func TestExcludedCells(t *testing.T) {
	e := Excluded{Kind: "e911", OrderID: "1", CustomerOrderReference: "c", TN: "3125550100", Reason: "r", InsertDate: "2026-11-27",
		E911Name: "n", E911StreetNum: "1", E911StreetInfo: "Main St", E911Location: "Apt 2", E911City: "Chicago",
		E911State: "IL", E911PostalCode: "60601", E911PostalCodePlusFour: "1234"}
	cells := e.Cells()
	require.Len(t, cells, len(ExcludedColumns))
	assert.Equal(t, "3125550100", cells[3])
	assert.Equal(t, "1234", cells[len(cells)-1])
}

// writeAll writes sampleHeader and sampleRows to tbl and closes it.
func writeAll(t *testing.T, tbl Table, header []string, rows [][]string) {
	t.Helper()
	require.NoError(t, tbl.WriteHeader(header))
	for _, r := range rows {
		require.NoError(t, tbl.WriteRow(r))
	}
	require.NoError(t, tbl.Close())
}

func TestCSVGolden(t *testing.T) {
	tests := []struct {
		name   string
		opts   []Option
		golden string
	}{
		{"with BOM", nil, "results.csv"},
		{"without BOM", []Option{WithoutBOM()}, "results-nobom.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			writeAll(t, NewCSV(&buf, tt.opts...), sampleHeader, sampleRows)
			golden(t, tt.golden, buf.Bytes())
			assert.NotContains(t, buf.String(), "\r\n", "LF line endings")

			// Read back: every value survives, after Unneutralize.
			body := strings.TrimPrefix(buf.String(), utf8BOM)
			assert.Equal(t, len(tt.opts) == 0, len(body) != buf.Len(), "BOM present unless WithoutBOM")
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, len(sampleRows)+1)
			for i, rec := range recs {
				want := sampleHeader
				if i > 0 {
					want = sampleRows[i-1]
				}
				for j, cell := range rec {
					assert.False(t, cell != "" && isTrigger(cell[0]), "row %d cell %d not neutralised: %q", i, j, cell)
					assert.Equal(t, want[j], Unneutralize(cell))
				}
			}
		})
	}
}

func TestJSONLGolden(t *testing.T) {
	var buf bytes.Buffer
	writeAll(t, NewJSONL(&buf), sampleHeader, sampleRows)
	golden(t, "results.jsonl", buf.Bytes())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, len(sampleRows))
	assert.True(t, strings.HasPrefix(lines[1], `{"tn":"+13125550101","note":"=HYPERLINK(`), "values unneutralised, keys in header order: %s", lines[1])
}

func TestJSONLHeaderOnly(t *testing.T) {
	var buf bytes.Buffer
	writeAll(t, NewJSONL(&buf), []string{"a"}, nil)
	assert.Empty(t, buf.String(), "JSONL has no header line")
}

func TestTableProtocol(t *testing.T) {
	steps := []struct {
		name    string
		run     func(Table) error
		wantErr error
	}{
		{"row before header", func(tb Table) error { return tb.WriteRow([]string{"a"}) }, ErrNoHeader},
		{"header twice", func(tb Table) error {
			if err := tb.WriteHeader([]string{"a"}); err != nil {
				return err
			}
			return tb.WriteHeader([]string{"a"})
		}, ErrHeaderWritten},
		{"empty header", func(tb Table) error { return tb.WriteHeader(nil) }, ErrEmptyHeader},
		{"duplicate column", func(tb Table) error { return tb.WriteHeader([]string{"tn", "status", "tn"}) }, ErrDuplicateColumn},
		{"short row", func(tb Table) error {
			if err := tb.WriteHeader([]string{"a", "b"}); err != nil {
				return err
			}
			return tb.WriteRow([]string{"1"})
		}, ErrColumnCount},
		{"long row", func(tb Table) error {
			if err := tb.WriteHeader([]string{"a", "b"}); err != nil {
				return err
			}
			return tb.WriteRow([]string{"1", "2", "3"})
		}, ErrColumnCount},
		{"row after close", func(tb Table) error {
			if err := tb.WriteHeader([]string{"a"}); err != nil {
				return err
			}
			if err := tb.Close(); err != nil {
				return err
			}
			return tb.WriteRow([]string{"1"})
		}, ErrClosed},
	}
	for _, f := range []Format{CSV, XLSX, JSONL} {
		for _, st := range steps {
			t.Run(string(f)+"/"+st.name, func(t *testing.T) {
				tb, err := New(&bytes.Buffer{}, f)
				require.NoError(t, err)
				require.ErrorIs(t, st.run(tb), st.wantErr)
				require.NoError(t, tb.Close())
				require.NoError(t, tb.Close(), "Close is idempotent")
			})
		}
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New(&bytes.Buffer{}, Format("xls"))
	require.ErrorIs(t, err, ErrUnknownFormat)
}

func TestCreateAtomic(t *testing.T) {
	for _, f := range []Format{CSV, XLSX, JSONL} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "results."+string(f))
			require.NoError(t, os.WriteFile(path, []byte("previous complete file"), 0o600))

			tb, err := Create(path, f)
			require.NoError(t, err)
			require.NoError(t, tb.WriteHeader(sampleHeader))
			for _, r := range sampleRows {
				require.NoError(t, tb.WriteRow(r))
			}
			// Before Close the destination still holds the previous file.
			prev, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, "previous complete file", string(prev))
			st, err := os.Stat(path + tmpSuffix)
			require.NoError(t, err, "rows go to the .tmp file")
			assert.Equal(t, fileMode, st.Mode().Perm())

			require.NoError(t, tb.Close())
			_, err = os.Stat(path + tmpSuffix)
			assert.ErrorIs(t, err, os.ErrNotExist, ".tmp removed by the rename")
			st, err = os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, fileMode, st.Mode().Perm(), "mode 0600")
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.NotEqual(t, "previous complete file", string(got))
			require.NoError(t, tb.Close(), "Close is idempotent")
		})
	}
}

func TestCreateNewFileAppearsOnlyOnClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "excluded.csv")
	tb, err := Create(path, CSV)
	require.NoError(t, err)
	require.NoError(t, tb.WriteHeader(ExcludedColumns))
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "no final file until Close")
	require.NoError(t, tb.Close())
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, utf8BOM+strings.Join(ExcludedColumns, ",")+"\n", string(got))
}

func TestCreateAbort(t *testing.T) {
	for _, f := range []Format{CSV, XLSX, JSONL} {
		t.Run(string(f), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out."+string(f))
			require.NoError(t, os.WriteFile(path, []byte("keep me"), 0o600))
			tb, err := Create(path, f)
			require.NoError(t, err)
			require.NoError(t, tb.WriteHeader([]string{"a"}))
			require.NoError(t, tb.WriteRow([]string{"1"}))
			a, ok := tb.(Aborter)
			require.True(t, ok, "Create returns an Aborter")
			require.NoError(t, a.Abort())
			require.NoError(t, tb.Close(), "Close after Abort does nothing")
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, "keep me", string(got))
			_, err = os.Stat(path + tmpSuffix)
			assert.ErrorIs(t, err, os.ErrNotExist)
			require.ErrorIs(t, tb.WriteRow([]string{"2"}), ErrClosed)
		})
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	t.Run("unknown format leaves nothing", func(t *testing.T) {
		path := filepath.Join(dir, "x.xls")
		_, err := Create(path, Format("xls"))
		require.ErrorIs(t, err, ErrUnknownFormat)
		_, err = os.Stat(path + tmpSuffix)
		assert.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("missing directory", func(t *testing.T) {
		_, err := Create(filepath.Join(dir, "no", "such", "x.csv"), CSV)
		require.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("stale tmp replaced with mode 0600", func(t *testing.T) {
		path := filepath.Join(dir, "stale.csv")
		require.NoError(t, os.WriteFile(path+tmpSuffix, []byte("half a file"), 0o644))
		tb, err := Create(path, CSV, WithoutBOM())
		require.NoError(t, err)
		writeAll(t, tb, []string{"a"}, [][]string{{"1"}})
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "a\n1\n", string(got))
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, fileMode, st.Mode().Perm())
	})
	t.Run("bad sheet name", func(t *testing.T) {
		path := filepath.Join(dir, "bad.xlsx")
		_, err := Create(path, XLSX, WithSheet("a/b"))
		require.ErrorIs(t, err, ErrSheetName)
		_, err = os.Stat(path + tmpSuffix)
		assert.ErrorIs(t, err, os.ErrNotExist)
	})
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteErrorsSurface(t *testing.T) {
	for _, f := range []Format{CSV, XLSX, JSONL} {
		t.Run(string(f), func(t *testing.T) {
			tb, err := New(failWriter{}, f)
			require.NoError(t, err)
			werr := tb.WriteHeader([]string{"a"})
			for i := 0; i < 10 && werr == nil; i++ {
				werr = tb.WriteRow([]string{"1"})
			}
			if werr == nil {
				werr = tb.Close()
			}
			require.ErrorIs(t, werr, os.ErrClosed, "a failing destination must not go unnoticed")
		})
	}
}
