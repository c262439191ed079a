package writers

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

const (
	// textNumFmt is Excel's built-in number format 49, "@" (text).
	textNumFmt = 49
	// Column widths, in characters.
	minColWidth = 6
	maxColWidth = 60
	// maxSheetName is Excel's sheet name limit, in characters.
	maxSheetName = 31
	// firstSheet is the sheet excelize.NewFile creates.
	firstSheet = "Sheet1"
)

// xlsxTable streams a workbook with excelize's StreamWriter. The first
// sampleRows rows are held back so the column widths can be sized from
// them; after that every row goes straight to the stream writer, which
// spills to a temporary file beyond 16 MB. Close writes the zip directly to
// the destination, never through an in-memory copy of the workbook.
type xlsxTable struct {
	shape
	out   io.Writer
	opts  options
	f     *excelize.File
	sw    *excelize.StreamWriter
	sheet string // current sheet name
	nth   int    // number of sheets started
	rows  int    // data rows on the current sheet

	textStyle, headerStyle int
	headCells              []string // neutralised header
	widths                 []float64
	pending                [][]string // rows held back for widths
	cells                  []excelize.Cell
	values                 []any // pointers into cells
}

var _ Table = (*xlsxTable)(nil)

// NewXLSX returns an XLSX Table writing the workbook to w on Close. Every
// cell is a text cell (format "@") holding the neutralised value; see the
// package documentation. Close does not close w.
func NewXLSX(w io.Writer, opts ...Option) (Table, error) {
	o := buildOptions(opts)
	if err := checkSheetName(o.sheet); err != nil {
		return nil, err
	}
	if o.maxRows < 1 {
		o.maxRows = 1
	}
	f := excelize.NewFile(excelize.Options{TmpDir: o.tempDir})
	t := &xlsxTable{out: w, opts: o, f: f}
	var err error
	if t.textStyle, err = f.NewStyle(&excelize.Style{NumFmt: textNumFmt}); err != nil {
		return nil, t.fail(fmt.Errorf("writers: xlsx: text style: %w", err))
	}
	t.headerStyle, err = f.NewStyle(&excelize.Style{NumFmt: textNumFmt, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, t.fail(fmt.Errorf("writers: xlsx: header style: %w", err))
	}
	return t, nil
}

// fail releases the workbook's temporary files and returns err.
func (t *xlsxTable) fail(err error) error {
	if cerr := t.f.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("writers: xlsx: %w", cerr))
	}
	return err
}

func (t *xlsxTable) WriteHeader(cols []string) error {
	if err := t.header(cols); err != nil {
		return err
	}
	if len(cols) > excelize.MaxColumns {
		t.cols = 0
		return fmt.Errorf("writers: xlsx: %d columns, a sheet holds %d: %w", len(cols), excelize.MaxColumns, ErrColumnCount)
	}
	t.headCells = make([]string, len(cols))
	t.widths = make([]float64, len(cols))
	for i, c := range cols {
		t.headCells[i] = Neutralize(c)
		t.measure(i, t.headCells[i])
	}
	t.cells = make([]excelize.Cell, len(cols))
	t.values = make([]any, len(cols))
	for i := range t.cells {
		t.cells[i].StyleID = t.textStyle
		t.values[i] = &t.cells[i]
	}
	return nil
}

func (t *xlsxTable) measure(col int, cell string) {
	w := float64(utf8.RuneCountInString(cell) + 2)
	if w > t.widths[col] {
		t.widths[col] = min(w, maxColWidth)
	}
}

func (t *xlsxTable) WriteRow(cells []string) error {
	if err := t.row(cells); err != nil {
		return err
	}
	if t.sw == nil {
		row := make([]string, len(cells))
		for i, c := range cells {
			row[i] = Neutralize(c)
			t.measure(i, row[i])
		}
		t.pending = append(t.pending, row)
		if len(t.pending) < t.opts.sampleRows {
			return nil
		}
		return t.flushPending()
	}
	for i, c := range cells {
		t.cells[i].Value = Neutralize(c)
	}
	return t.setRow()
}

// flushPending starts the first sheet and writes the held-back rows.
func (t *xlsxTable) flushPending() error {
	if err := t.startSheet(); err != nil {
		return err
	}
	for _, row := range t.pending {
		for i, c := range row {
			t.cells[i].Value = c
		}
		if err := t.setRow(); err != nil {
			return err
		}
	}
	t.pending = nil
	return nil
}

// setRow writes t.cells as the next data row, moving to a new sheet when
// the current one is full.
func (t *xlsxTable) setRow() error {
	if t.rows == t.opts.maxRows {
		if err := t.finishSheet(); err != nil {
			return err
		}
		if err := t.startSheet(); err != nil {
			return err
		}
	}
	t.rows++
	ref, err := excelize.CoordinatesToCellName(1, t.rows+1)
	if err != nil {
		return fmt.Errorf("writers: xlsx: row %d: %w", t.rows+1, err)
	}
	if err := t.sw.SetRow(ref, t.values); err != nil {
		return fmt.Errorf("writers: xlsx: sheet %s row %d: %w", t.sheet, t.rows+1, err)
	}
	return nil
}

// sheetName returns the name of the nth sheet: the base name, then
// base_2, base_3... cut to Excel's 31 characters.
func sheetName(base string, nth int) string {
	if nth == 1 {
		return base
	}
	suffix := "_" + strconv.Itoa(nth)
	room := maxSheetName - len(suffix)
	var b strings.Builder
	for _, r := range base {
		if room -= utf16.RuneLen(r); room < 0 {
			break
		}
		b.WriteRune(r)
	}
	return b.String() + suffix
}

// checkSheetName applies Excel's rules: 1 to 31 UTF-16 units, none of
// : \ / ? * [ ], not beginning or ending with a single quote.
func checkSheetName(name string) error {
	n := 0
	for _, r := range name {
		n += utf16.RuneLen(r)
	}
	switch {
	case n == 0, n > maxSheetName, strings.ContainsAny(name, `:\/?*[]`),
		strings.HasPrefix(name, "'"), strings.HasSuffix(name, "'"), !utf8.ValidString(name):
		return fmt.Errorf("writers: xlsx: sheet name %q (1 to 31 characters, none of :\\/?*[], no quote at either end): %w", name, ErrSheetName)
	}
	return nil
}

// startSheet creates the next sheet: column widths and text style, a frozen
// bold header row.
func (t *xlsxTable) startSheet() error {
	t.nth++
	t.sheet = sheetName(t.opts.sheet, t.nth)
	if t.nth == 1 {
		if err := t.f.SetSheetName(firstSheet, t.sheet); err != nil {
			return fmt.Errorf("writers: xlsx: name sheet %s: %w", t.sheet, err)
		}
	} else if _, err := t.f.NewSheet(t.sheet); err != nil {
		return fmt.Errorf("writers: xlsx: add sheet %s: %w", t.sheet, err)
	}
	sw, err := t.f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("writers: xlsx: sheet %s: %w", t.sheet, err)
	}
	t.sw, t.rows = sw, 0
	n := len(t.headCells)
	for i, w := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, max(w, minColWidth)); err != nil {
			return fmt.Errorf("writers: xlsx: column width: %w", err)
		}
	}
	// Column style "@" too, so values typed in later by hand stay text.
	if err := sw.SetColStyle(1, n, t.textStyle); err != nil {
		return fmt.Errorf("writers: xlsx: column style: %w", err)
	}
	err = sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
	if err != nil {
		return fmt.Errorf("writers: xlsx: freeze header: %w", err)
	}
	head := make([]any, n)
	for i, h := range t.headCells {
		head[i] = excelize.Cell{StyleID: t.headerStyle, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("writers: xlsx: header: %w", err)
	}
	return nil
}

// finishSheet sets the autofilter over the sheet's table and ends its
// stream. The autofilter must be set before Flush, which writes it.
func (t *xlsxTable) finishSheet() error {
	last, err := excelize.CoordinatesToCellName(len(t.headCells), t.rows+1)
	if err != nil {
		return fmt.Errorf("writers: xlsx: autofilter: %w", err)
	}
	if err := t.f.AutoFilter(t.sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("writers: xlsx: autofilter: %w", err)
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("writers: xlsx: sheet %s: %w", t.sheet, err)
	}
	return nil
}

// Close finishes the workbook and writes it to the destination. A table
// whose header was never written produces an empty workbook.
func (t *xlsxTable) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	err := t.finish()
	if cerr := t.f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("writers: xlsx: release temporary files: %w", cerr)
	}
	return err
}

func (t *xlsxTable) finish() error {
	if t.cols > 0 {
		if t.sw == nil {
			if err := t.flushPending(); err != nil {
				return err
			}
		}
		if err := t.finishSheet(); err != nil {
			return err
		}
	}
	// WriteTo would build the whole zip in a bytes.Buffer first; a zip
	// writer on the destination streams it instead. The buffer excelize
	// still passes in stays empty.
	var zw *zip.Writer
	t.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw = zip.NewWriter(t.out)
		return zw
	})
	buf, err := t.f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("writers: xlsx: write workbook: %w", err)
	}
	if zw == nil || buf.Len() != 0 {
		return errors.New("writers: xlsx: workbook was not streamed to its destination")
	}
	return nil
}

// abort releases the temporary files without writing the workbook.
func (t *xlsxTable) abort() error {
	if t.closed {
		return nil
	}
	t.closed = true
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("writers: xlsx: release temporary files: %w", err)
	}
	return nil
}
