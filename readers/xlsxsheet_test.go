package readers

import (
	"archive/zip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// readWith reads every row of path's first sheet (or sheet) with the
// sheet reader (fast) or excelize's row iterator (the reader it
// replaces), header first.
func readWith(t *testing.T, path, sheet string, fast bool) [][]string {
	t.Helper()
	var x *xlsxReader
	var err error
	if fast {
		x, err = openSheetXLSX(path, Options{Sheet: sheet})
	} else {
		f, ferr := excelize.OpenFile(path)
		require.NoError(t, ferr)
		x, err = newXLSX(f, path, Options{Sheet: sheet})
	}
	require.NoError(t, err)
	defer func() { require.NoError(t, x.Close()) }()
	out := [][]string{x.Header()}
	for _, r := range readAll(t, x) {
		out = append(out, append([]string{fmt.Sprint(r.Line)}, r.Values...))
	}
	return out
}

// TestSheetReaderMatchesExcelize: workbooks written by excelize (cell by
// cell, with shared strings, and with its stream writer, with inline
// strings), read by the sheet reader and by excelize's row iterator with
// the rewritten formats, give the same header, rows, line numbers and
// cells.
func TestSheetReaderMatchesExcelize(t *testing.T) {
	numbers := []any{3125550100, 2125551234.0, 3.1255501e9, 0, -1, 0.1, 1.5, 1e-7, 123456789012345678, 1e21, 12345678901234567890.0,
		math.MaxInt32, 0.30000000000000004, 3125550105.5, 1.0 / 3}
	texts := []string{"plain", " padded ", "a & b < c > d \"q\" 'a'", "line\nbreak", "crlf\r\nline", "tab\there", "üñí©ødé 中文 🎉",
		"_x000D_ escaped", "_x005F_x000D_ literal", "=SUM(A1)", "0123", "3125550100", "", "   "}
	dates := []struct {
		v      float64
		numFmt int
		custom string
	}{
		{45306, 14, ""}, {45307, 0, "dd/mm/yyyy"}, {45307.5, 22, ""}, {0.25, 20, ""}, {45307.999994, 22, ""},
		{1, 14, ""}, {59, 14, ""}, {60, 14, ""}, {61, 14, ""}, {45306.123456, 0, "yyyy-mm-dd hh:mm:ss"}, {45306, 0, "[$-409]mmmm d, yyyy;@"},
		{0.5, 0, "h:mm AM/PM"}, {3125550100, 0, "0.00E+00"}, {3125550100, 11, ""}, {3125550100, 49, ""}, {42, 0, `0 "days"`},
	}
	var cells []xlsxCell
	row := 2
	add := func(vals ...xlsxCell) {
		for i, c := range vals {
			c.ref, _ = excelize.CoordinatesToCellName(1+2*i, row) // sparse: every other column
			cells = append(cells, c)
		}
		row++
	}
	cells = append(cells, xlsxCell{ref: "A1", value: "TN"}, xlsxCell{ref: "C1", value: "Value"}, xlsxCell{ref: "E1", value: "More"})
	for _, n := range numbers {
		add(xlsxCell{value: n}, xlsxCell{value: n, custom: "0.00E+00"})
	}
	for _, s := range texts {
		add(xlsxCell{value: "x"}, xlsxCell{value: s})
	}
	for _, d := range dates {
		add(xlsxCell{value: "d"}, xlsxCell{value: d.v, numFmt: d.numFmt, custom: d.custom})
	}
	row += 3 // blank rows
	add(xlsxCell{value: true}, xlsxCell{value: false}, xlsxCell{value: time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)})
	dir := t.TempDir()
	path := filepath.Join(dir, "cells.xlsx")
	writeXLSX(t, path, []xlsxSheet{{name: "Cells", cells: cells}, {name: "Second", cells: []xlsxCell{{ref: "B2", value: "h"}, {ref: "B3", value: 1.25}}}})

	// rich text, a formula with a cached string, the 1904 date system
	rich := filepath.Join(dir, "rich.xlsx")
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"TN", "Formula", "Date"}))
	require.NoError(t, f.SetCellRichText("Sheet1", "A2", []excelize.RichTextRun{{Text: "bold "}, {Text: "and plain", Font: &excelize.Font{Bold: true}}}))
	require.NoError(t, f.SetCellFormula("Sheet1", "B2", `"x"&"y"`))
	require.NoError(t, f.SetCellValue("Sheet1", "C2", 45306))
	date := "yyyy-mm-dd"
	st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &date})
	require.NoError(t, err)
	require.NoError(t, f.SetCellStyle("Sheet1", "C2", "C2", st))
	date1904 := true
	require.NoError(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}))
	require.NoError(t, f.SaveAs(rich))
	require.NoError(t, f.Close())

	// the stream writer (inline strings, as bench workbooks are written)
	stream := filepath.Join(dir, "stream.xlsx")
	f = excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	require.NoError(t, sw.SetRow("A1", []any{"TN", "Note", "When"}))
	for i, s := range texts {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		require.NoError(t, sw.SetRow(cell, []any{numbers[i%len(numbers)], s, excelize.Cell{StyleID: st, Value: 45000 + i}}))
	}
	require.NoError(t, sw.Flush())
	require.NoError(t, f.SaveAs(stream))
	require.NoError(t, f.Close())

	for _, c := range []struct{ path, sheet string }{{path, ""}, {path, "second"}, {rich, ""}, {stream, ""}} {
		t.Run(filepath.Base(c.path)+"/"+c.sheet, func(t *testing.T) {
			want := readWith(t, c.path, c.sheet, false)
			got := readWith(t, c.path, c.sheet, true)
			require.Greater(t, len(want), 1)
			assert.Equal(t, want, got)
		})
	}
}

// writeZip writes a workbook from its parts, as another producer might.
func writeZip(t *testing.T, path string, parts map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for name, body := range parts {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

// TestSheetReaderOtherProducers reads XML excelize never writes but the
// standard allows (and Excel, LibreOffice or the Open XML SDK do write):
// prefixed elements, single quotes, CDATA, comments, rich and phonetic
// runs, numbers in exponent form, error values, cells and rows without
// references, a '>' inside an attribute value, a workbook in another
// folder.
func TestSheetReaderOtherProducers(t *testing.T) {
	const ns = `xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/main.xml"/></Relationships>`,
		"book/_rels/main.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="s1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/one.xml"/>` +
			`<Relationship Id="ss" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>` +
			`<Relationship Id="st" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"book/main.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><x:workbook ` + ns + `><x:sheets><x:sheet name="Data" sheetId="1" r:id="s1"/></x:sheets></x:workbook>`,
		"book/styles.xml": `<x:styleSheet ` + ns + `><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></x:numFmts>` +
			`<x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"/><x:xf numFmtId="11"/></x:cellXfs></x:styleSheet>`,
		"book/strings.xml": `<x:sst ` + ns + ` count="4"><x:si><x:t>TN</x:t></x:si><x:si><x:t xml:space="preserve"> Note </x:t></x:si>` +
			`<x:si><x:r><x:t>東京</x:t></x:r><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh><x:r><x:rPr><x:b/></x:rPr><x:t>&amp; more</x:t></x:r></x:si>` +
			`<x:si><x:t><![CDATA[<raw & text>]]></x:t></x:si><x:si><x:t/></x:si></x:sst>`,
		"book/sheets/one.xml": `<?xml version="1.0"?><!-- produced by hand --><x:worksheet ` + ns + `><x:sheetPr/><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t='s'><x:v>1</x:v></x:c></x:row>` +
			`<x:row r="3"><x:c r='A3'><x:v>2.125551234E9</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>` +
			`<x:row><x:c><x:v>3125550100</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line</x:t></x:r><x:rPh><x:t>no</x:t></x:rPh></x:is></x:c></x:row>` +
			`<x:row r="6" x14ac:dyDescent="0.25" spans="1:2" ht=">"><x:c r="A6" s="1"><x:v>45306</x:v></x:c><x:c r="B6" t="e"><x:v>#N/A</x:v></x:c></x:row>` +
			`<x:row r="7"><x:c r="A7" s="2"><x:v>3.1255501E+9</x:v></x:c><x:c r="B7" t="s"><x:v>3</x:v></x:c></x:row>` +
			`<x:row r="8"><x:c r="A8" t="str"><x:f>A7&amp;""</x:f><x:v>3125550100</x:v></x:c><x:c r="B8" t="b"><x:v>1</x:v></x:c></x:row>` +
			`<x:row r="9"><x:c r="A9"><x:v>8005550100</x:v></x:c><x:c r="B9" t="inlineStr"><x:is><x:t>a&#10;b&#x41;&lt;</x:t></x:is></x:c><x:c r="C9" s="1"/></x:row>` +
			`<x:row r="10"><x:c r="A10" t="s"><x:v>4</x:v></x:c><x:c r="B10"><x:v>1e-3</x:v></x:c></x:row>` +
			`</x:sheetData><x:pageMargins left="0.7"/></x:worksheet>`,
	}
	path := filepath.Join(t.TempDir(), "other.xlsx")
	writeZip(t, path, parts)
	r, err := Open(path, Options{})
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	assert.Equal(t, []string{"TN", "Note"}, r.Header())
	assert.Equal(t, []Row{
		{Line: 3, Values: []string{"2125551234", "東京& more"}},
		{Line: 4, Values: []string{"3125550100", "inline"}},
		{Line: 6, Values: []string{"2024-01-15", "#N/A"}},
		{Line: 7, Values: []string{"3125550100", "<raw & text>"}},
		{Line: 8, Values: []string{"3125550100", "TRUE"}},
		{Line: 9, Values: []string{"8005550100", "a\nbA<"}},
		{Line: 10, Values: []string{"", "0.001"}},
	}, readAll(t, r))
}

// TestSheetReaderRefusesBadReferences: a hostile cell or row reference is
// an error naming the row, not a huge allocation.
func TestSheetReaderRefusesBadReferences(t *testing.T) {
	for name, sheet := range map[string]string{
		"column past XFD": `<row r="2"><c r="ZZZZ2"><v>1</v></c></row>`,
		"bad reference":   `<row r="2"><c r="2A"><v>1</v></c></row>`,
		"bad row":         `<row r="-4"><c><v>1</v></c></row>`,
		"bad shared":      `<row r="2"><c t="s"><v>99</v></c></row>`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.xlsx")
			writeZip(t, path, map[string]string{
				"_rels/.rels":                `<Relationships><Relationship Id="1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
				"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
				"xl/workbook.xml":            `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`,
				"xl/worksheets/sheet1.xml":   `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>TN</t></is></c></row>` + sheet + `</sheetData></worksheet>`,
			})
			r, err := Open(path, Options{})
			require.NoError(t, err)
			defer r.Close()
			_, err = r.Next()
			require.Error(t, err)
			assert.Regexp(t, `^line 2: `, err.Error())
		})
	}
}
