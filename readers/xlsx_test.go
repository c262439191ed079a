package readers

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// xlsxCell is one cell the test workbook builder writes.
type xlsxCell struct {
	ref    string
	value  any
	numFmt int    // built-in number format id (0: none)
	custom string // custom number format code
}

type xlsxSheet struct {
	name  string
	cells []xlsxCell
}

// writeXLSX builds a workbook with excelize, the way a user's Excel file
// stores values: numbers as numeric cells, dates as serial numbers with a
// date format.
func writeXLSX(t testing.TB, path string, sheets []xlsxSheet) {
	t.Helper()
	f := excelize.NewFile()
	defer func() { require.NoError(t, f.Close()) }()
	for i, s := range sheets {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", s.name))
		} else {
			_, err := f.NewSheet(s.name)
			require.NoError(t, err)
		}
		for _, c := range s.cells {
			require.NoError(t, f.SetCellValue(s.name, c.ref, c.value))
			if c.numFmt == 0 && c.custom == "" {
				continue
			}
			style := &excelize.Style{NumFmt: c.numFmt}
			if c.custom != "" {
				style.CustomNumFmt = &c.custom
			}
			id, err := f.NewStyle(style)
			require.NoError(t, err)
			require.NoError(t, f.SetCellStyle(s.name, c.ref, c.ref, id))
		}
	}
	require.NoError(t, f.SaveAs(path))
}

// messyWorkbook is the XLSX counterpart of testdata/*.csv: blank leading
// rows, numbers stored as numbers (one shown as 3.13E+09), a float, a date,
// a blank row, and a second sheet.
func messyWorkbook(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "messy.xlsx")
	writeXLSX(t, path, []xlsxSheet{
		{name: "Numbers", cells: []xlsxCell{
			{ref: "A3", value: " Telephone Number "}, {ref: "B3", value: "Note"}, {ref: "C3", value: "Site"}, {ref: "D3", value: "Due"},
			{ref: "A4", value: 3125550100}, {ref: "B4", value: "general"}, {ref: "C4", value: "CHI-1"},
			{ref: "A5", value: 3125550101, custom: "0.00E+00"}, {ref: "B5", value: "custom exponent format"},
			{ref: "A6", value: 3125550102, numFmt: 11}, {ref: "B6", value: "built-in exponent format"},
			{ref: "A8", value: 3125550103.0}, {ref: "B8", value: "float"}, {ref: "D8", value: 45306, numFmt: 14},
			{ref: "A9", value: "+1 (312) 555-0104"}, {ref: "B9", value: "text"}, {ref: "D9", value: 45307, custom: "dd/mm/yyyy"},
			{ref: "A10", value: 3125550105.5}, {ref: "B10", value: "fraction"}, {ref: "D10", value: 45307.5, numFmt: 22},
			{ref: "A11", value: "0123"}, {ref: "B11", value: 12345678901234567890.0}, {ref: "C11", value: true},
			{ref: "A12", value: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}, {ref: "B12", value: "time.Time"},
			{ref: "A13", value: 3125550106, numFmt: 49}, {ref: "B13", value: "text format on a number"},
		}},
		{name: "Other", cells: []xlsxCell{
			{ref: "A1", value: "TN"}, {ref: "B1", value: "Note"},
			{ref: "A2", value: 8005550100}, {ref: "B2", value: "second sheet"},
		}},
	})
	return path
}

func readAll(t testing.TB, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		require.NoError(t, err)
		rows = append(rows, row)
	}
}

func TestXLSXMessy(t *testing.T) {
	r, err := Open(messyWorkbook(t), Options{})
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()

	assert.Equal(t, []string{"Telephone Number", "Note", "Site", "Due"}, r.Header())
	want := []Row{
		{Line: 4, Values: []string{"3125550100", "general", "CHI-1", ""}},
		{Line: 5, Values: []string{"3125550101", "custom exponent format", "", ""}},
		{Line: 6, Values: []string{"3125550102", "built-in exponent format", "", ""}},
		{Line: 8, Values: []string{"3125550103", "float", "", "2024-01-15"}},
		{Line: 9, Values: []string{"+1 (312) 555-0104", "text", "", "2024-01-16"}},
		{Line: 10, Values: []string{"3125550105.5", "fraction", "", "2024-01-16 12:00:00"}},
		{Line: 11, Values: []string{"0123", "12345678901234500000", "TRUE", ""}},
		{Line: 12, Values: []string{"2024-02-29", "time.Time", "", ""}},
		{Line: 13, Values: []string{"3125550106", "text format on a number", "", ""}},
	}
	assert.Equal(t, want, readAll(t, r))
	_, err = r.Next()
	assert.ErrorIs(t, err, io.EOF, "EOF is sticky")
}

func TestXLSXSheets(t *testing.T) {
	path := messyWorkbook(t)
	tests := []struct {
		sheet  string
		header []string
		rows   []Row
		err    string
	}{
		{sheet: "Other", header: []string{"TN", "Note"}, rows: []Row{{Line: 2, Values: []string{"8005550100", "second sheet"}}}},
		{sheet: "other", header: []string{"TN", "Note"}, rows: []Row{{Line: 2, Values: []string{"8005550100", "second sheet"}}}},
		{sheet: "Missing", err: `sheet "Missing" not found; the workbook has sheets "Numbers", "Other"`},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			r, err := Open(path, Options{Sheet: tt.sheet})
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			defer func() { assert.NoError(t, r.Close()) }()
			assert.Equal(t, tt.header, r.Header())
			assert.Equal(t, tt.rows, readAll(t, r))
		})
	}
}

func TestXLSXEdgeCases(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.xlsx")
	writeXLSX(t, empty, []xlsxSheet{{name: "Sheet1"}})
	_, err := Open(empty, Options{})
	assert.ErrorIs(t, err, ErrNoHeader)

	wide := filepath.Join(dir, "wide.xlsx")
	writeXLSX(t, wide, []xlsxSheet{{name: "S", cells: []xlsxCell{
		{ref: "A1", value: "TN"}, {ref: "A2", value: 3125550100}, {ref: "C2", value: "stray"},
	}}})
	r, err := Open(wide, Options{})
	require.NoError(t, err)
	defer func() { assert.NoError(t, r.Close()) }()
	_, err = r.Next()
	assert.EqualError(t, err, `line 2: 3 cells but the header has 1 columns (extra value "stray" in column 3)`)

	notZip := filepath.Join(dir, "broken.xlsx")
	require.NoError(t, os.WriteFile(notZip, []byte("TN,Note\n"), 0o644))
	_, err = Open(notZip, Options{})
	assert.ErrorContains(t, err, "open workbook")
}

func TestClassifyNumFmt(t *testing.T) {
	tests := []struct {
		id   int
		code string
		want numFmtKind
	}{
		{0, "", kindOther},
		{1, "", kindOther},
		{11, "", kindOther},
		{49, "", kindOther},
		{14, "", kindDate},
		{17, "", kindDate},
		{22, "", kindDateTime},
		{20, "", kindTime},
		{46, "", kindTime},
		{164, "0.00E+00", kindOther},
		{164, "General", kindOther},
		{164, "@", kindOther},
		{164, `#,##0.00 "days"`, kindOther},
		{164, "[Red]0.00", kindOther},
		{164, "yyyy-mm-dd", kindDate},
		{164, "dd/mm/yyyy", kindDate},
		{164, `[$-409]mmmm d, yyyy;@`, kindDate},
		{164, "mmm-yy", kindDate},
		{164, "mmm", kindDate},
		{164, "m/d/yyyy h:mm AM/PM", kindDateTime},
		{164, "[h]:mm:ss", kindTime},
		{164, "h:mm AM/PM", kindTime},
		{164, `0 \d`, kindOther},
		{164, `"Day "0`, kindOther},
		{164, "0;[Red]-0;yyyy", kindOther},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classifyNumFmt(tt.id, tt.code), "%d %q", tt.id, tt.code)
	}
}
