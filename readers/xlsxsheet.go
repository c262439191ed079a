package readers

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The sheet reader: one pass over the worksheet's XML with a small
// tokenizer of its own, instead of excelize's row iterator, which decodes
// every cell with encoding/xml (reflection, an allocation per token) and
// spills the unzipped sheet to a temporary file first: 28 s for 1,000,000
// rows, where this reads them in a few. It gives the same cell texts as
// excelize's reader with the rewritten number formats (xlsx.go), checked
// cell by cell against it in xlsxsheet_test.go:
//
//   - shared strings (t="s", plain or rich text, phonetic runs left out)
//     and inline strings (t="inlineStr"), with the _xHHHH_ escapes decoded;
//   - numbers as their shortest exact decimal text, whatever the number
//     format (3.1255501E9 → 3125550100; more than 15 significant digits are
//     rounded to 15, as Excel stores them);
//   - numbers with a date, date-and-time or time format as ISO text;
//   - booleans as TRUE/FALSE; formula results (t="str") and error values
//     as stored;
//   - missing cells, rows and columns as empty (sparse rows keep their
//     positions from the r="B7" references).
//
// Its XML is what the standard allows a producer to write: namespace
// prefixes (x:c), either quote, entities and character references,
// CDATA, comments and processing instructions.

// sheetWorkbook is what the sheet reader needs from the workbook's other
// parts.
type sheetWorkbook struct {
	sheets      []string          // names, in workbook order
	parts       map[string]string // sheet name → zip part of its XML
	sharedPart  string
	styles      []numFmtKind // per cellXfs index
	date1904    bool
	sharedStart []uint32 // offsets of the shared strings in sharedData
	sharedData  []byte
}

func (wb *sheetWorkbook) shared(i int) (string, bool) {
	if i < 0 || i+1 >= len(wb.sharedStart) {
		return "", false
	}
	return string(wb.sharedData[wb.sharedStart[i]:wb.sharedStart[i+1]]), true
}

// openSheetWorkbook reads the workbook's structure, styles and shared
// strings. A workbook whose structure it cannot follow returns
// errSheetFallback: excelize then reads it.
var errSheetFallback = errors.New("workbook structure not understood by the sheet reader")

func openSheetWorkbook(zr *zip.Reader) (*sheetWorkbook, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	rels := func(part string) (map[string]relTarget, error) {
		dir, name := path.Split(part)
		f := files[dir+"_rels/"+name+".rels"]
		if f == nil {
			return nil, nil
		}
		var doc struct {
			Rel []struct {
				ID     string `xml:"Id,attr"`
				Type   string `xml:"Type,attr"`
				Target string `xml:"Target,attr"`
				Mode   string `xml:"TargetMode,attr"`
			} `xml:"Relationship"`
		}
		if err := decodePart(f, &doc); err != nil {
			return nil, err
		}
		out := map[string]relTarget{}
		for _, r := range doc.Rel {
			if strings.EqualFold(r.Mode, "External") {
				continue
			}
			t := r.Target
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join(dir, t)
			}
			out[r.ID] = relTarget{typ: r.Type, part: t}
		}
		return out, nil
	}
	root, err := rels("")
	if err != nil {
		return nil, err
	}
	wbPart := ""
	for _, r := range root {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPart = r.part
		}
	}
	if wbPart == "" || files[wbPart] == nil {
		return nil, errSheetFallback
	}
	var doc struct {
		Pr *struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			RIDs string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(files[wbPart], &doc); err != nil {
		return nil, err
	}
	wbRels, err := rels(wbPart)
	if err != nil {
		return nil, err
	}
	wb := &sheetWorkbook{parts: map[string]string{}}
	if doc.Pr != nil {
		wb.date1904 = doc.Pr.Date1904 == "1" || strings.EqualFold(doc.Pr.Date1904, "true")
	}
	for _, s := range doc.Sheets {
		id := s.RID
		if id == "" {
			id = s.RIDs
		}
		r, ok := wbRels[id]
		if !ok || files[r.part] == nil || !strings.HasSuffix(r.typ, "/worksheet") {
			continue // a chart sheet or a dialog sheet: not a table
		}
		wb.sheets = append(wb.sheets, s.Name)
		wb.parts[s.Name] = r.part
	}
	var stylesPart string
	for _, r := range wbRels {
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings") && files[r.part] != nil:
			wb.sharedPart = r.part
		case strings.HasSuffix(r.typ, "/styles") && files[r.part] != nil:
			stylesPart = r.part
		}
	}
	if stylesPart != "" {
		if wb.styles, err = readStyles(files[stylesPart]); err != nil {
			return nil, fmt.Errorf("read styles: %w", err)
		}
	}
	if wb.sharedPart != "" {
		if err := wb.readShared(files[wb.sharedPart]); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

type relTarget struct{ typ, part string }

func decodePart(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("part %s: %w", f.Name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("part %s: %w", f.Name, err)
	}
	return nil
}

// readStyles classifies the number format of every cell style.
func readStyles(f *zip.File) ([]numFmtKind, error) {
	var doc struct {
		NumFmts []struct {
			ID     int    `xml:"numFmtId,attr"`
			Code   string `xml:"formatCode,attr"`
			Code16 string `xml:"http://schemas.microsoft.com/office/spreadsheetml/2015/02/main formatCode16,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			ID *int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := decodePart(f, &doc); err != nil {
		return nil, err
	}
	custom := map[int]string{}
	for _, nf := range doc.NumFmts {
		code := nf.Code
		if nf.Code16 != "" {
			code = nf.Code16
		}
		custom[nf.ID] = code
	}
	out := make([]numFmtKind, len(doc.Xfs))
	for i, xf := range doc.Xfs {
		id := 0
		if xf.ID != nil {
			id = *xf.ID
		}
		out[i] = classifyNumFmt(id, custom[id])
	}
	return out, nil
}

// readShared reads the shared-string table into one byte slice (a string
// a cell, plain or rich text; phonetic runs are not part of the text).
func (wb *sheetWorkbook) readShared(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("part %s: %w", f.Name, err)
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	wb.sharedStart = append(wb.sharedStart[:0], 0)
	var (
		depth, depthSI, depthRPh int // element depths of the open <si>, <rPh> (0: none)
		inT                      bool
		buf                      []byte
	)
	closeAt := func(name string) error {
		switch {
		case depthSI > 0 && depth == depthSI:
			wb.sharedData = append(wb.sharedData, bstrDecode(buf)...)
			if len(wb.sharedData) > math.MaxUint32 {
				return fmt.Errorf("part %s: the shared strings exceed 4 GiB", f.Name)
			}
			wb.sharedStart = append(wb.sharedStart, uint32(len(wb.sharedData)))
			depthSI = 0
		case depthRPh > 0 && depth == depthRPh:
			depthRPh = 0
		case name == "t":
			inT = false
		}
		depth--
		return nil
	}
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("part %s: %w", f.Name, err)
		}
		switch tok.kind {
		case tokStart:
			depth++
			switch {
			case tok.name == "si":
				depthSI, buf = depth, buf[:0]
			case tok.name == "rPh" && depthSI > 0:
				depthRPh = depth
			case tok.name == "t" && depthSI > 0 && depthRPh == 0:
				inT = true
			}
			if tok.selfClosing {
				if err := closeAt(tok.name); err != nil {
					return err
				}
			}
		case tokEnd:
			if err := closeAt(tok.name); err != nil {
				return err
			}
		case tokText:
			if inT {
				if len(buf)+len(tok.text) > maxCellRuns {
					return fmt.Errorf("shared string %d holds more than %d KiB of text; no cell may", len(wb.sharedStart), MaxCell>>10)
				}
				buf = append(buf, tok.text...)
			}
		}
	}
	return nil
}

// bstrDecode decodes the _xHHHH_ escapes of an OOXML string (ECMA-376
// 22.9.2.19) as excelize does: _x005F_ is "_", a code that is not a
// character disappears.
func bstrDecode(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+7 <= len(b) && b[i] == '_' && b[i+1] == 'x' && b[i+6] == '_' && isHex4(b[i+2:i+6]) {
			if string(b[i:i+7]) == "_x005F_" {
				out = append(out, '_')
			} else if v, err := strconv.Unquote(`"\u` + string(b[i+2:i+6]) + `"`); err == nil {
				out = append(out, v...)
			}
			i += 7
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// sheetRows streams the rows of one worksheet part.
type sheetRows struct {
	wb     *sheetWorkbook
	rc     io.ReadCloser
	x      *xmlScanner
	row    int // number of the row last returned
	inData bool
	done   bool
	cells  []string
	// the cell being read
	val      []byte
	inV, inT bool
	inIS     bool
	rphDepth int
}

func newSheetRows(wb *sheetWorkbook, f *zip.File) (*sheetRows, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", f.Name, err)
	}
	return &sheetRows{wb: wb, rc: rc, x: newXMLScanner(rc)}, nil
}

func (s *sheetRows) Close() error { return s.rc.Close() }

// maxCellRuns bounds the text the reader gathers for one cell or shared
// string from several runs (each run is at most MaxCell: checkZip); the
// cell itself is then refused by checkCells if longer than MaxCell.
const maxCellRuns = 4 * MaxCell

// next returns the sheet row number and cells of the next <row> of the
// sheet, io.EOF after the last. The cells are valid until the next call.
func (s *sheetRows) next() (int, []string, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	var (
		inRow               bool
		col                 = -1
		typ                 string
		style               int
		hasV                bool
		depth               int // relative to where this call started
		rowDepth, cellDepth int
	)
	s.cells = s.cells[:0]
	// closeAt ends the element name at depth; it reports a finished row.
	closeAt := func(name string) (bool, error) {
		defer func() { depth-- }()
		switch {
		case cellDepth > 0 && depth == cellDepth:
			v, err := s.cellValue(typ, style, hasV)
			if err != nil {
				return false, &LineError{Line: s.row, Err: fmt.Errorf("cell %s: %w", cellRef(col, s.row), err)}
			}
			if col >= len(s.cells) {
				for len(s.cells) < col {
					s.cells = append(s.cells, "")
				}
				s.cells = append(s.cells, v)
			} else {
				s.cells[col] = v
			}
			cellDepth = 0
		case inRow && depth == rowDepth:
			return true, nil
		case name == "sheetData":
			s.inData, s.done = false, true
		case s.rphDepth > 0 && depth == s.rphDepth:
			s.rphDepth = 0
		case name == "v":
			s.inV = false
		case name == "t":
			s.inT = false
		case name == "is":
			s.inIS = false
		}
		return false, nil
	}
	for {
		tok, err := s.x.next()
		if errors.Is(err, io.EOF) {
			s.done = true
			if inRow {
				return s.row, s.cells, nil
			}
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, &LineError{Line: s.row + 1, Err: err}
		}
		switch tok.kind {
		case tokStart:
			depth++
			switch {
			case tok.name == "sheetData":
				s.inData = true
			case !s.inData:
			case tok.name == "row" && !inRow:
				inRow, rowDepth = true, depth
				n := s.row + 1
				if r := tok.attr("r"); r != "" {
					v, err := strconv.Atoi(r)
					if err != nil || v < 1 || v > 1<<20 {
						return 0, nil, &LineError{Line: s.row + 1, Err: fmt.Errorf("row number %s is not valid", Clip(r))}
					}
					n = v
				}
				s.row = n
			case tok.name == "c" && inRow && cellDepth == 0:
				cellDepth = depth
				c := col + 1
				ref, t, st := tok.cellAttrs()
				if len(ref) > 0 {
					v, ok := refColumn(ref)
					if !ok {
						return 0, nil, &LineError{Line: s.row, Err: fmt.Errorf("cell reference %s is not valid", Clip(string(ref)))}
					}
					c = v
				}
				if c >= 16384 {
					return 0, nil, &LineError{Line: s.row, Err: fmt.Errorf("a cell past column XFD")}
				}
				col, typ, style = c, t, st
				hasV, s.val, s.inV, s.inT, s.inIS, s.rphDepth = false, s.val[:0], false, false, false, 0
			case cellDepth > 0 && depth == cellDepth+1 && tok.name == "v":
				s.inV, hasV = true, true
			case cellDepth > 0 && depth == cellDepth+1 && tok.name == "is":
				s.inIS, hasV = true, true
			case s.inIS && tok.name == "rPh":
				s.rphDepth = depth
			case s.inIS && s.rphDepth == 0 && tok.name == "t":
				s.inT = true
			}
			if tok.selfClosing {
				rowDone, err := closeAt(tok.name)
				if err != nil || rowDone {
					return s.row, s.cells, err
				}
			}
		case tokEnd:
			rowDone, err := closeAt(tok.name)
			if err != nil || rowDone {
				return s.row, s.cells, err
			}
		case tokText:
			if s.inV || s.inT {
				if len(s.val)+len(tok.text) > maxCellRuns {
					return 0, nil, &LineError{Line: s.row, Err: fmt.Errorf("cell %s holds more than %d KiB of text", cellRef(col, s.row), MaxCell>>10)}
				}
				s.val = append(s.val, tok.text...)
			}
		}
	}
}

// cellValue is the text of the cell just read, as excelize's reader gives
// it with the number formats xlsx.go rewrites.
func (s *sheetRows) cellValue(typ string, style int, hasV bool) (string, error) {
	if !hasV {
		return "", nil
	}
	switch typ {
	case "s":
		if len(s.val) == 0 {
			return "", nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(string(s.val)))
		if err != nil {
			return "", fmt.Errorf("shared string index %s is not a number", Clip(string(s.val)))
		}
		v, ok := s.wb.shared(i)
		if !ok {
			return "", fmt.Errorf("shared string index %d is out of range", i)
		}
		return s.formatted(v, style), nil
	case "inlineStr":
		return s.formatted(string(bstrDecode(s.val)), style), nil
	case "str", "e":
		return string(s.val), nil
	case "b":
		switch string(s.val) {
		case "1":
			return "TRUE", nil
		case "0":
			return "FALSE", nil
		}
		return string(s.val), nil
	case "d":
		return s.isoDate(string(s.val), style), nil
	}
	return s.formatted(numberText(string(s.val)), style), nil
}

// formatted applies a date, date-time or time format to a numeric value;
// every other value is returned as it is.
func (s *sheetRows) formatted(v string, style int) string {
	if style <= 0 || style >= len(s.wb.styles) || s.wb.styles[style] == kindOther {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || strings.Contains(v, "_") {
		return v
	}
	return formatSerial(f, s.wb.styles[style], s.wb.date1904, v)
}

// isoDate converts an ISO 8601 date cell (t="d") to its serial number,
// formatted by the cell's style as excelize does.
func (s *sheetRows) isoDate(v string, style int) string {
	layout := "20060102T150405.999"
	if strings.HasSuffix(v, "Z") {
		layout = "20060102T150405Z"
		if strings.Contains(v, "-") {
			layout = "2006-01-02T15:04:05Z"
		}
	} else if strings.Contains(v, "-") {
		layout = "2006-01-02 15:04:05Z"
	}
	if t, err := time.Parse(layout, strings.ReplaceAll(v, ",", ".")); err == nil {
		v = strconv.FormatFloat(timeToSerial(t), 'G', 15, 64)
	}
	if style <= 0 || style >= len(s.wb.styles) || s.wb.styles[style] == kindOther {
		return v
	}
	return s.formatted(v, style)
}

// timeToSerial is the 1900-system serial number of t.
func timeToSerial(t time.Time) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	d := t.Sub(base)
	serial := float64(d) / float64(24*time.Hour)
	if t.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		serial-- // Excel's 29 February 1900
	}
	return serial
}

// formatSerial renders a serial date as ISO text; a value no date can
// have is returned as it is.
func formatSerial(f float64, kind numFmtKind, date1904 bool, raw string) string {
	if f < 0 || f > 2958465.99999999 {
		return raw
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return raw
	}
	t = t.Round(time.Second)
	if !date1904 && f >= 60 && f < 61 && kind != kindTime {
		// Excel's 29 February 1900, a day that never was: shown as Excel
		// (and excelize) show it
		day := "1900-02-29"
		if kind == kindDateTime {
			return day + t.Format(" 15:04:05")
		}
		return day
	}
	switch kind {
	case kindDate:
		return t.Format("2006-01-02")
	case kindDateTime:
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("15:04:05")
}

// numberText is the text of a stored number as excelize gives it: the
// shortest exact decimal, rounded to 15 significant digits when it holds
// more (except integers padded with zeros past the 15th digit).
func numberText(v string) string {
	if strings.Contains(v, "_") {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	plain := strconv.FormatFloat(f, 'f', -1, 64)
	digits := len(plain) - strings.Count(plain, ".")
	if digits > 15 && !integerWithin15(v) {
		return strconv.FormatFloat(f, 'G', 15, 64)
	}
	return plain
}

func integerWithin15(s string) bool {
	if strings.ContainsAny(s, ".Ee") {
		return false
	}
	s = strings.TrimLeft(s, "+-0")
	return len(strings.TrimRight(s, "0")) <= 15
}

// refColumn is the 0-based column of a cell reference such as "AB12".
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			goto digits
		}
		if col > 16384 {
			return 0, false
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col - 1, true
}

// cellRef is the A1 reference of a 0-based column in a row.
func cellRef(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return fmt.Sprintf("column %d of row %d", col+1, row)
	}
	return name
}

// ---- a small XML tokenizer ----

type tokKind int

const (
	tokStart tokKind = iota + 1
	tokEnd
	tokText
)

type xmlToken struct {
	kind        tokKind
	name        string // local name (prefix removed)
	selfClosing bool
	attrs       []byte // the raw attribute text of a start tag
	text        []byte // decoded text (valid until the next call)
}

// attr returns the value of the attribute with local name key ("" if none).
func (t *xmlToken) attr(key string) string {
	var out string
	t.each(func(name, val []byte) {
		if string(name) == key {
			out = string(val)
		}
	})
	return out
}

// each calls fn with the local name and the value (entities decoded) of
// every attribute of a start tag; the slices are valid during the call.
func (t *xmlToken) each(fn func(name, val []byte)) {
	b := t.attrs
	for len(b) > 0 {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return
		}
		name := bytes.TrimRight(b[:eq], " \t\r\n")
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return
		}
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return
		}
		val := b[1 : 1+end]
		b = b[end+2:]
		if bytes.IndexByte(val, '&') >= 0 {
			val = unescape(nil, val)
		}
		fn(name, val)
	}
}

// cellAttrs reads a <c> tag's reference, type and style in one pass.
func (t *xmlToken) cellAttrs() (ref []byte, typ string, style int) {
	t.each(func(name, val []byte) {
		switch string(name) {
		case "r":
			ref = val
		case "t":
			switch string(val) {
			case "s":
				typ = "s"
			case "n", "":
			case "str":
				typ = "str"
			case "inlineStr":
				typ = "inlineStr"
			case "b":
				typ = "b"
			default:
				typ = string(val)
			}
		case "s":
			style = 0
			for _, c := range val {
				if c < '0' || c > '9' || style > 1<<24 {
					style = 0
					return
				}
				style = style*10 + int(c-'0')
			}
		}
	})
	return ref, typ, style
}

type xmlScanner struct {
	r    *bufio.Reader
	tag  []byte
	raw  []byte // text as read
	text []byte // text decoded
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next start tag, end tag or run of text (comments,
// processing instructions and the declaration are skipped; CDATA is text).
func (x *xmlScanner) next() (xmlToken, error) {
	for {
		b, err := x.r.ReadSlice('<')
		if len(b) > 0 && b[len(b)-1] == '<' {
			b = b[:len(b)-1]
		}
		if len(b) > 0 || errors.Is(err, bufio.ErrBufferFull) {
			// text before the next tag, possibly longer than the buffer
			x.raw = append(x.raw[:0], b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if len(x.raw) > maxCellRuns {
					return xmlToken{}, fmt.Errorf("a text of more than %d KiB", MaxCell>>10)
				}
				b, err = x.r.ReadSlice('<')
				if len(b) > 0 && b[len(b)-1] == '<' {
					b = b[:len(b)-1]
				}
				x.raw = append(x.raw, b...)
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return xmlToken{}, err
			}
			if errors.Is(err, io.EOF) {
				if len(bytes.TrimSpace(x.raw)) > 0 {
					return xmlToken{}, errors.New("text after the last element")
				}
				return xmlToken{}, io.EOF
			}
			if err := x.r.UnreadByte(); err != nil { // the '<' of the next tag
				return xmlToken{}, err
			}
			text := x.raw
			if bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '\r') >= 0 {
				x.text = unescape(x.text[:0], text)
				text = x.text
			}
			return xmlToken{kind: tokText, text: text}, nil
		}
		if err != nil {
			return xmlToken{}, err // io.EOF at the end
		}
		// at a tag
		tok, skip, err := x.readTag()
		if err != nil {
			return xmlToken{}, err
		}
		if !skip {
			return tok, nil
		}
		if tok.kind == tokText {
			return tok, nil
		}
	}
}

// readTag reads one markup construct after its '<'.
func (x *xmlScanner) readTag() (tok xmlToken, skip bool, err error) {
	// peek the first character
	c, err := x.r.ReadByte()
	if err != nil {
		return tok, false, unexpectedEOF(err)
	}
	switch c {
	case '?':
		return tok, true, x.skipUntil("?>")
	case '!':
		p, _ := x.r.Peek(7)
		switch {
		case bytes.HasPrefix(p, []byte("--")):
			return tok, true, x.skipUntil("-->")
		case bytes.HasPrefix(p, []byte("[CDATA[")):
			_, _ = x.r.Discard(7)
			x.text = x.text[:0]
			for {
				b, err := x.r.ReadSlice('>')
				x.text = append(x.text, b...)
				if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
					return tok, false, unexpectedEOF(err)
				}
				if bytes.HasSuffix(x.text, []byte("]]>")) {
					x.text = x.text[:len(x.text)-3]
					return xmlToken{kind: tokText, text: x.text}, true, nil
				}
				if len(x.text) > maxCellRuns {
					return tok, false, fmt.Errorf("a text of more than %d KiB", MaxCell>>10)
				}
			}
		}
		return tok, true, x.skipUntil(">")
	}
	x.tag = append(x.tag[:0], c)
	quote := byte(0)
	for {
		b, err := x.r.ReadSlice('>')
		x.tag = append(x.tag, b...)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return tok, false, unexpectedEOF(err)
		}
		if len(x.tag) > 64<<10 {
			return tok, false, errors.New("a tag of more than 64 KiB")
		}
		if err != nil {
			continue
		}
		// a '>' inside a quoted attribute value does not end the tag
		quote = 0
		for _, ch := range x.tag[:len(x.tag)-1] {
			switch {
			case quote != 0 && ch == quote:
				quote = 0
			case quote == 0 && (ch == '"' || ch == '\''):
				quote = ch
			}
		}
		if quote == 0 {
			break
		}
	}
	t := x.tag[:len(x.tag)-1] // without '>'
	if t[0] == '/' {
		tok.kind = tokEnd
		t = bytes.TrimSpace(t[1:])
	} else {
		tok.kind = tokStart
		if n := len(t); n > 0 && t[n-1] == '/' {
			tok.selfClosing = true
			t = t[:n-1]
		}
	}
	end := bytes.IndexAny(t, " \t\r\n")
	name := t
	if end >= 0 {
		name, tok.attrs = t[:end], t[end:]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	tok.name = internName(name)
	return tok, false, nil
}

// internName avoids an allocation for the element names a sheet is made
// of.
func internName(b []byte) string {
	switch string(b) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "t":
		return "t"
	case "is":
		return "is"
	case "f":
		return "f"
	case "r":
		return "r"
	case "si":
		return "si"
	case "rPh":
		return "rPh"
	case "sheetData":
		return "sheetData"
	}
	return string(b)
}

func (x *xmlScanner) skipUntil(end string) error {
	var tail []byte
	for {
		b, err := x.r.ReadSlice(end[len(end)-1])
		tail = append(tail, b...)
		if len(tail) > len(end) {
			tail = tail[len(tail)-len(end):]
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return unexpectedEOF(err)
		}
		if err == nil && bytes.HasSuffix(tail, []byte(end)) {
			return nil
		}
	}
}

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the XML ends inside a tag")
	}
	return err
}

// unescape appends b to dst with XML's entities and character references
// decoded and line ends normalised (\r\n and \r become \n).
func unescape(dst, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexAny(b, "&\r")
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		if b[i] == '\r' {
			dst = append(dst, '\n')
			b = b[i+1:]
			if len(b) > 0 && b[0] == '\n' {
				b = b[1:]
			}
			continue
		}
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			b = b[1:]
			continue
		}
		ent := string(b[1:semi])
		switch {
		case ent == "lt":
			dst = append(dst, '<')
		case ent == "gt":
			dst = append(dst, '>')
		case ent == "amp":
			dst = append(dst, '&')
		case ent == "quot":
			dst = append(dst, '"')
		case ent == "apos":
			dst = append(dst, '\'')
		case strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X"):
			n, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil {
				dst = append(dst, b[:semi+1]...)
				break
			}
			dst = utf8.AppendRune(dst, rune(n))
		case strings.HasPrefix(ent, "#"):
			n, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil {
				dst = append(dst, b[:semi+1]...)
				break
			}
			dst = utf8.AppendRune(dst, rune(n))
		default:
			dst = append(dst, b[:semi+1]...)
		}
		b = b[semi+1:]
	}
	return dst
}
