package readers

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

var _ Reader = (*xlsxReader)(nil)

// xlsxInMemoryLimit is the size above which excelize spills a worksheet or
// the shared-string table to a temporary file instead of holding it in
// memory; it bounds the memory of reading a large workbook.
const xlsxInMemoryLimit = 4 << 20

// Number format codes the reader rewrites date and time cells to.
const (
	isoDate     = "yyyy-mm-dd"
	isoDateTime = "yyyy-mm-dd hh:mm:ss"
	isoTime     = "hh:mm:ss"
)

// xlsxReader streams one worksheet of a workbook.
type xlsxReader struct {
	src    rowSource
	sheet  string
	header []string
	rowNum int   // sheet row number of the last row read
	err    error // sticky: io.EOF or the first manifest error
}

// openXLSX opens path and positions the reader after the header (the first
// non-empty row of the sheet). The sheet is read by the sheet reader
// (xlsxsheet.go); a workbook whose structure it does not follow is read
// with excelize's row iterator instead.
func openXLSX(path string, opts Options) (*xlsxReader, error) {
	if err := checkZip(path); err != nil {
		return nil, err
	}
	x, err := openSheetXLSX(path, opts)
	if !errors.Is(err, errSheetFallback) {
		return x, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipXMLSizeLimit: xlsxInMemoryLimit})
	if err != nil {
		return nil, fmt.Errorf("open workbook %s: %w", path, err)
	}
	x, err = newXLSX(f, path, opts)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

// openSheetXLSX reads the workbook with the sheet reader.
func openSheetXLSX(path string, opts Options) (*xlsxReader, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook %s: %w", path, err)
	}
	wb, err := openSheetWorkbook(&zr.Reader)
	if err != nil {
		_ = zr.Close()
		if errors.Is(err, errSheetFallback) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sheet, err := pickSheet(wb.sheets, opts.Sheet)
	if err != nil {
		_ = zr.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var part *zip.File
	for _, f := range zr.File {
		if strings.TrimPrefix(f.Name, "/") == wb.parts[sheet] {
			part = f
		}
	}
	rows, err := newSheetRows(wb, part)
	if err != nil {
		_ = zr.Close()
		return nil, fmt.Errorf("%s: sheet %q: %w", path, sheet, err)
	}
	return readHeader(&xlsxReader{src: &zipRows{sheetRows: rows, zr: zr}, sheet: sheet}, path)
}

// rowSource gives the rows of a sheet: the sheet reader's or excelize's.
type rowSource interface {
	// next returns the sheet row number and cells of the next row (the
	// cells are valid until the next call), io.EOF after the last.
	next() (int, []string, error)
	Close() error
}

type zipRows struct {
	*sheetRows
	zr *zip.ReadCloser
}

func (z *zipRows) Close() error { return errors.Join(z.sheetRows.Close(), z.zr.Close()) }

// excelizeRows is excelize's row iterator: it stops once per row number,
// including rows absent from the file.
type excelizeRows struct {
	f    *excelize.File
	rows *excelize.Rows
	n    int
}

func (e *excelizeRows) next() (int, []string, error) {
	if !e.rows.Next() {
		if err := e.rows.Error(); err != nil {
			return 0, nil, &LineError{Line: e.n + 1, Err: err}
		}
		return 0, nil, io.EOF
	}
	e.n++
	cells, err := e.rows.Columns()
	if err != nil {
		return 0, nil, &LineError{Line: e.n, Err: err}
	}
	return e.n, cells, nil
}

func (e *excelizeRows) Close() error { return errors.Join(e.rows.Close(), e.f.Close()) }

func newXLSX(f *excelize.File, path string, opts Options) (*xlsxReader, error) {
	sheet, err := pickSheet(f.GetSheetList(), opts.Sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := rewriteNumberFormats(f); err != nil {
		return nil, fmt.Errorf("%s: read styles: %w", path, err)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", path, sheet, err)
	}
	return readHeader(&xlsxReader{src: &excelizeRows{f: f, rows: rows}, sheet: sheet}, path)
}

// readHeader positions x after the header; on error it closes x's source.
func readHeader(x *xlsxReader, path string) (*xlsxReader, error) {
	for {
		cells, err := x.nextCells()
		if errors.Is(err, io.EOF) {
			_ = x.src.Close()
			return nil, fmt.Errorf("%s: sheet %q: %w", path, x.sheet, ErrNoHeader)
		}
		if err != nil {
			_ = x.src.Close()
			return nil, fmt.Errorf("%s: sheet %q: header: %w", path, x.sheet, err)
		}
		if isBlankRow(cells) {
			continue
		}
		if err := checkCells(cells, nil); err != nil {
			_ = x.src.Close()
			return nil, fmt.Errorf("%s: sheet %q: header: %w", path, x.sheet, &LineError{Line: x.rowNum, Err: err})
		}
		x.header = trimCells(cells)
		return x, nil
	}
}

// pickSheet returns the sheet to read: want (matched case-insensitively, as
// Excel does) or the first sheet when want is "".
func pickSheet(sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", errors.New("the workbook has no sheets")
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if strings.EqualFold(s, want) {
			return s, nil
		}
	}
	quoted := make([]string, len(sheets))
	for i, s := range sheets {
		quoted[i] = strconv.Quote(s)
	}
	return "", fmt.Errorf("sheet %q not found; the workbook has sheets %s", want, strings.Join(quoted, ", "))
}

// Sheet returns the name of the sheet being read.
func (x *xlsxReader) Sheet() string { return x.sheet }

func (x *xlsxReader) Header() []string { return x.header }

func (x *xlsxReader) Next() (Row, error) {
	if x.err != nil {
		return Row{}, x.err
	}
	for {
		cells, err := x.nextCells()
		if err != nil {
			x.err = err
			return Row{}, err
		}
		if isBlankRow(cells) {
			continue
		}
		if err := checkCells(cells, x.header); err != nil {
			x.err = &LineError{Line: x.rowNum, Err: err}
			return Row{}, x.err
		}
		values, err := align(cells, len(x.header))
		if err != nil {
			x.err = &LineError{Line: x.rowNum, Err: err}
			return Row{}, x.err
		}
		return Row{Line: x.rowNum, Values: values}, nil
	}
}

// nextCells returns the cells of the next sheet row and sets rowNum.
func (x *xlsxReader) nextCells() ([]string, error) {
	n, cells, err := x.src.next()
	if err != nil {
		return nil, err
	}
	x.rowNum = n
	return cells, nil
}

func (x *xlsxReader) Close() error {
	if x.err == nil {
		x.err = errors.New("reader closed")
	}
	if err := x.src.Close(); err != nil {
		return fmt.Errorf("close workbook: %w", err)
	}
	return nil
}

// rewriteNumberFormats rewrites the in-memory style sheet (the file is never
// saved) so that excelize's formatted cell values are what a manifest needs:
// cells with a date or time format come out as ISO text, and every other
// cell as its stored value. Excelize turns a stored number into its shortest
// exact decimal text (3.1255501E9 → 3125550100); a number format such as
// 0.00E+00 is thereby ignored and cannot hide digits. Non-date styles are
// pointed at a number format id that is neither built in nor defined, for
// which excelize returns the stored value unformatted.
func rewriteNumberFormats(f *excelize.File) error {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return nil
	}
	custom := map[int]string{}
	maxID := 0
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
			maxID = max(maxID, nf.NumFmtID)
		}
	}
	target := map[numFmtKind]int{}
	for kind, code := range map[numFmtKind]string{kindDate: isoDate, kindDateTime: isoDateTime, kindTime: isoTime} {
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return fmt.Errorf("add %s format: %w", code, err)
		}
		xf := f.Styles.CellXfs.Xf[style]
		if xf.NumFmtID == nil {
			return fmt.Errorf("add %s format: no number format id", code)
		}
		target[kind] = *xf.NumFmtID
		maxID = max(maxID, *xf.NumFmtID)
	}
	target[kindOther] = max(maxID+1, 4096) // defined nowhere: the raw value
	for i := range f.Styles.CellXfs.Xf {
		id := 0
		if p := f.Styles.CellXfs.Xf[i].NumFmtID; p != nil {
			id = *p
		}
		newID := target[classifyNumFmt(id, custom[id])]
		f.Styles.CellXfs.Xf[i].NumFmtID = &newID
	}
	return nil
}

type numFmtKind int

const (
	kindOther numFmtKind = iota
	kindDate
	kindDateTime
	kindTime
)

// classifyNumFmt tells whether a number format shows a date, a date and
// time, a time, or anything else (numbers, text, General).
func classifyNumFmt(id int, code string) numFmtKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
		return kindDate
	case id == 22:
		return kindDateTime
	case id >= 18 && id <= 21, id == 32, id == 33, id >= 45 && id <= 47:
		return kindTime
	case id < 164 && code == "":
		return kindOther
	}
	return classifyFormatCode(code)
}

// classifyFormatCode inspects the first section of a custom format code,
// ignoring quoted literals, escaped characters and [colour/locale] blocks.
func classifyFormatCode(code string) numFmtKind {
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is a literal or a fill
		case c == '[':
			end := strings.IndexByte(code[i:], ']')
			if end < 0 {
				i = len(code)
				continue
			}
			block := strings.ToLower(code[i+1 : i+end])
			if block != "" && strings.Trim(block, "hms") == "" {
				b.WriteByte('h') // elapsed time such as [h]:mm
			}
			i += end
		case c == ';':
			i = len(code) // only the first section matters
		default:
			b.WriteByte(c | 0x20) // ASCII lower case; other bytes stay distinct
		}
	}
	s := strings.NewReplacer("am/pm", "", "a/p", "").Replace(b.String())
	hasDate := strings.ContainsAny(s, "yd")
	hasTime := strings.ContainsAny(s, "hs")
	if !hasDate && !hasTime && strings.Contains(s, "m") && !strings.ContainsAny(s, "0#?") {
		hasDate = true // mmm, mmmm-yy: months
	}
	switch {
	case hasDate && hasTime:
		return kindDateTime
	case hasDate:
		return kindDate
	case hasTime:
		return kindTime
	}
	return kindOther
}
