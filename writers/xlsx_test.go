package writers

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// openXLSX writes header and rows with opts and opens the result.
func openXLSX(t *testing.T, header []string, rows [][]string, opts ...Option) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	tb, err := NewXLSX(&buf, opts...)
	require.NoError(t, err)
	writeAll(t, tb, header, rows)
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes()
}

var autoFilterRE = regexp.MustCompile(`<autoFilter ref="([^"]*)"`)

// autoFilterRef returns the autofilter range of a sheet part, without the
// '$' signs excelize writes ("" when there is none).
func autoFilterRef(t *testing.T, data []byte, part string) string {
	t.Helper()
	m := autoFilterRE.FindStringSubmatch(zipPart(t, data, part))
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "$", "")
}

// zipPart returns one part of an xlsx package.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	rc, err := zr.Open(name)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b)
}

func TestXLSXReadBack(t *testing.T) {
	f, data := openXLSX(t, sampleHeader, sampleRows)
	require.Equal(t, []string{DefaultSheet}, f.GetSheetList())

	rows, err := f.GetRows(DefaultSheet, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.Len(t, rows, len(sampleRows)+1)
	for i, row := range rows {
		want := sampleHeader
		if i > 0 {
			want = sampleRows[i-1]
		}
		for j := range want {
			got := ""
			if j < len(row) {
				got = row[j]
			}
			exp := Neutralize(want[j])
			assert.Equal(t, exp, got, "row %d col %d", i+1, j+1)
			assert.Equal(t, want[j], Unneutralize(got))
		}
	}

	tests := []struct {
		cell string
		want string
	}{
		{"A2", "3125550100"},    // stays text, not 3.13E+09
		{"A3", "'+13125550101"}, // neutralised
		{"A4", "0012"},          // leading zeros kept
		{"B3", `'=HYPERLINK("http://x","y")`},
		{"B4", "'@SUM(A1)"},
		{"A5", "'-3125550102"},
		{"G4", "Invalid TN submitted:\nline two"},
		{"C3", "Saint-Lô"},
	}
	headerStyleChecked := false
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			v, err := f.GetCellValue(DefaultSheet, tt.cell, excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			assert.Equal(t, tt.want, v)
			typ, err := f.GetCellType(DefaultSheet, tt.cell)
			require.NoError(t, err)
			assert.Equal(t, excelize.CellTypeInlineString, typ, "every cell a string cell")
			styleID, err := f.GetCellStyle(DefaultSheet, tt.cell)
			require.NoError(t, err)
			st, err := f.GetStyle(styleID)
			require.NoError(t, err)
			assert.Equal(t, textNumFmt, st.NumFmt, "text number format @")
			assert.True(t, st.Font == nil || !st.Font.Bold, "data cells are not bold")
		})
	}

	t.Run("header", func(t *testing.T) {
		for col := 1; col <= len(sampleHeader); col++ {
			ref, err := excelize.CoordinatesToCellName(col, 1)
			require.NoError(t, err)
			typ, err := f.GetCellType(DefaultSheet, ref)
			require.NoError(t, err)
			assert.Equal(t, excelize.CellTypeInlineString, typ)
			styleID, err := f.GetCellStyle(DefaultSheet, ref)
			require.NoError(t, err)
			st, err := f.GetStyle(styleID)
			require.NoError(t, err)
			require.NotNil(t, st.Font, "%s has a font", ref)
			assert.True(t, st.Font.Bold, "%s bold", ref)
			assert.Equal(t, textNumFmt, st.NumFmt)
			headerStyleChecked = true
		}
		assert.True(t, headerStyleChecked)
	})

	t.Run("frozen header", func(t *testing.T) {
		p, err := f.GetPanes(DefaultSheet)
		require.NoError(t, err)
		assert.True(t, p.Freeze)
		assert.Equal(t, 1, p.YSplit)
		assert.Equal(t, 0, p.XSplit)
		assert.Equal(t, "A2", p.TopLeftCell)
	})

	t.Run("autofilter", func(t *testing.T) {
		assert.Equal(t, "A1:J6", autoFilterRef(t, data, "xl/worksheets/sheet1.xml"))
		names := f.GetDefinedName()
		require.Len(t, names, 1)
		assert.Equal(t, "_xlnm._FilterDatabase", names[0].Name)
		assert.Equal(t, "'results'!$A$1:$J$6", names[0].RefersTo)
	})

	t.Run("column widths", func(t *testing.T) {
		tests := []struct {
			col  string
			want float64
		}{
			{"A", float64(len("'+13125550101") + 2)},
			{"D", minColWidth},                                               // "row" and short numbers
			{"H", float64(len("order_id") + 2)},                              // header wider than values
			{"G", float64(len("6123453624 TN is on an existing order") + 2)}, // longest value
		}
		for _, tt := range tests {
			w, err := f.GetColWidth(DefaultSheet, tt.col)
			require.NoError(t, err)
			assert.Equal(t, tt.want, w, "column %s", tt.col)
		}
	})
}

func TestXLSXWidthCapAndSample(t *testing.T) {
	long := strings.Repeat("x", 500)
	rows := make([][]string, 0, 3)
	rows = append(rows, []string{long, "a"})
	rows = append(rows, []string{"b", "short"})
	// The third row is past the sample of two rows: it does not widen B.
	rows = append(rows, []string{"c", strings.Repeat("y", 40)})
	f, _ := openXLSX(t, []string{"a", "b"}, rows, func(o *options) { o.sampleRows = 2 })
	wa, err := f.GetColWidth(DefaultSheet, "A")
	require.NoError(t, err)
	assert.Equal(t, float64(maxColWidth), wa)
	wb, err := f.GetColWidth(DefaultSheet, "B")
	require.NoError(t, err)
	assert.Equal(t, float64(len("short")+2), wb)
	v, err := f.GetCellValue(DefaultSheet, "A2")
	require.NoError(t, err)
	assert.Equal(t, long, v, "the cap is on width, never on the value")
}

func TestXLSXSheetName(t *testing.T) {
	tests := []struct {
		name    string
		sheet   string
		wantErr bool
	}{
		{"custom", "excluded", false},
		{"31 chars", strings.Repeat("s", 31), false},
		{"too long", strings.Repeat("s", 32), true},
		{"empty", "", true},
		{"slash", "a/b", true},
		{"bracket", "a[1]", true},
		{"leading quote", "'a", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tb, err := NewXLSX(&buf, WithSheet(tt.sheet))
			if tt.wantErr {
				require.ErrorIs(t, err, ErrSheetName)
				return
			}
			require.NoError(t, err)
			writeAll(t, tb, []string{"tn"}, [][]string{{"3125550100"}})
			f, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer f.Close()
			assert.Equal(t, []string{tt.sheet}, f.GetSheetList())
		})
	}
}

func TestXLSXSheetRollover(t *testing.T) {
	rows := make([][]string, 5)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("312555%04d", i), "+1"}
	}
	f, data := openXLSX(t, []string{"tn", "sign"}, rows, withMaxSheetRows(2), func(o *options) { o.sampleRows = 1 })
	require.Equal(t, []string{"results", "results_2", "results_3"}, f.GetSheetList())
	var got []string
	for i, sheet := range f.GetSheetList() {
		rs, err := f.GetRows(sheet)
		require.NoError(t, err)
		require.NotEmpty(t, rs)
		assert.Equal(t, []string{"tn", "sign"}, rs[0], "every sheet repeats the header")
		for _, r := range rs[1:] {
			got = append(got, r[0])
			assert.Equal(t, "'+1", r[1])
		}
		p, err := f.GetPanes(sheet)
		require.NoError(t, err)
		assert.True(t, p.Freeze, "sheet %s frozen", sheet)
		wantRef := "A1:B3"
		if i == 2 {
			wantRef = "A1:B2"
		}
		assert.Equal(t, wantRef, autoFilterRef(t, data, fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)), "sheet %s autofilter", sheet)
	}
	want := make([]string, len(rows))
	for i, r := range rows {
		want[i] = r[0]
	}
	assert.Equal(t, want, got, "rows in order across sheets")
}

func TestSheetName(t *testing.T) {
	tests := []struct {
		base string
		nth  int
		want string
	}{
		{"results", 1, "results"},
		{"results", 2, "results_2"},
		{strings.Repeat("r", 31), 12, strings.Repeat("r", 28) + "_12"},
		{strings.Repeat("é", 31), 2, strings.Repeat("é", 29) + "_2"},
		{strings.Repeat("😀", 15), 2, strings.Repeat("😀", 14) + "_2"}, // 2 UTF-16 units each
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := sheetName(tt.base, tt.nth)
			assert.Equal(t, tt.want, got)
			require.NoError(t, checkSheetName(got))
		})
	}
}

func TestXLSXHeaderOnlyAndEmpty(t *testing.T) {
	t.Run("header only", func(t *testing.T) {
		f, data := openXLSX(t, ExcludedColumns, nil)
		rows, err := f.GetRows(DefaultSheet)
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, ExcludedColumns, rows[0])
		assert.Equal(t, "A1:O1", autoFilterRef(t, data, "xl/worksheets/sheet1.xml"))
	})
	t.Run("no header", func(t *testing.T) {
		var buf bytes.Buffer
		tb, err := NewXLSX(&buf)
		require.NoError(t, err)
		require.NoError(t, tb.Close())
		f, err := excelize.OpenReader(&buf)
		require.NoError(t, err, "an empty but valid workbook")
		require.NoError(t, f.Close())
	})
}

func TestXLSXCreateSpillsNextToFile(t *testing.T) {
	// The default temporary directory of Create is the destination's
	// directory; after Close only the workbook is left there.
	dir := t.TempDir()
	path := filepath.Join(dir, "results.xlsx")
	tb, err := Create(path, XLSX, WithSheet("results"))
	require.NoError(t, err)
	writeAll(t, tb, sampleHeader, sampleRows)
	entries, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	assert.Equal(t, []string{path}, entries)
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	v, err := f.GetCellValue("results", "A2")
	require.NoError(t, err)
	assert.Equal(t, "3125550100", v)
}
