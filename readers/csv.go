package readers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

var _ Reader = (*csvReader)(nil)

// LineError is a manifest error tied to a line (CSV) or sheet row (XLSX):
// a malformed quote, a row wider than the header, an unreadable cell.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ErrNoHeader is returned when a manifest has no non-empty row at all.
var ErrNoHeader = errors.New("the manifest is empty: no header row")

const (
	csvPeekSize    = 64 << 10 // bytes inspected to detect the delimiter
	maxRecordTrace = 1 << 20  // bytes of the current record kept to name the field of a parse error
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvReader streams a delimited text manifest.
type csvReader struct {
	src    *lineSource
	cr     *csv.Reader
	closer io.Closer
	header []string
	delim  byte
	err    error // sticky: io.EOF or the first manifest error
}

// NewCSV reads a delimited manifest from r, streaming. The delimiter (',',
// ';' or tab) is detected from the header line, a UTF-8 byte order mark is
// dropped, rows whose cells are all blank are skipped and the header is the
// first non-empty row, with its cells trimmed.
func NewCSV(r io.Reader) (Reader, error) {
	return newCSV(r, nil)
}

func newCSV(r io.Reader, closer io.Closer) (*csvReader, error) {
	br := bufio.NewReaderSize(r, csvPeekSize)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	peek, err := br.Peek(csvPeekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	delim := detectDelimiter(peek)
	src := &lineSource{br: br, line: 1, delim: delim}
	cr := csv.NewReader(src)
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	// `a, "b"` is common in hand-written files; trimming leading space lets
	// the quote open the field. Not for tabs: the delimiter is white space.
	cr.TrimLeadingSpace = delim != '\t'
	c := &csvReader{src: src, cr: cr, closer: closer, delim: delim}
	for {
		rec, err := c.read()
		if errors.Is(err, io.EOF) {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		if isBlankRow(rec) {
			continue
		}
		if err := c.checkRecord(rec, nil); err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		c.header = trimCells(rec)
		return c, nil
	}
}

// Delimiter returns the detected delimiter.
func (c *csvReader) Delimiter() rune { return rune(c.delim) }

func (c *csvReader) Header() []string { return c.header }

func (c *csvReader) Next() (Row, error) {
	if c.err != nil {
		return Row{}, c.err
	}
	for {
		rec, err := c.read()
		if err != nil {
			c.err = err
			return Row{}, err
		}
		if isBlankRow(rec) {
			continue
		}
		line, _ := c.cr.FieldPos(0)
		if err := c.checkRecord(rec, c.header); err != nil {
			c.err = err
			return Row{}, err
		}
		values, err := align(rec, len(c.header))
		if err != nil {
			c.err = &LineError{Line: line, Err: err}
			return Row{}, c.err
		}
		return Row{Line: line, Values: values}, nil
	}
}

func (c *csvReader) Close() error {
	if c.err == nil {
		c.err = errors.New("reader closed")
	}
	if c.closer != nil {
		if err := c.closer.Close(); err != nil {
			return fmt.Errorf("close manifest: %w", err)
		}
	}
	return nil
}

// checkRecord refuses a record with a cell that is too long or not valid
// UTF-8 (or holds the replacement character a wrong decoding leaves),
// naming the line and the column.
func (c *csvReader) checkRecord(rec, header []string) error {
	for i, v := range rec {
		line, _ := c.cr.FieldPos(i)
		if len(v) > MaxCell {
			return &LineError{Line: line, Err: &CellTooLongError{Column: columnName(header, i), Len: len(v)}}
		}
		if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
			return &LineError{Line: line, Err: &EncodingError{Column: columnName(header, i)}}
		}
	}
	return nil
}

// read returns the next record, turning csv parse errors into LineErrors
// that name the line and the field.
func (c *csvReader) read() ([]string, error) {
	c.src.startRecord()
	rec, err := c.cr.Read()
	if err == nil {
		return rec, nil
	}
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if le := (*LineError)(nil); errors.As(err, &le) {
		return nil, le // from lineSource: a line or record too long
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	what := "malformed quote"
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		what = "bare quote"
	case errors.Is(pe.Err, csv.ErrQuote):
		what = "unterminated or misplaced quote"
	case !errors.Is(pe.Err, csv.ErrFieldCount):
		return nil, &LineError{Line: pe.Line, Err: pe.Err}
	}
	detail := what
	if field := c.src.fieldAt(pe.StartLine, pe.Line, pe.Column, c.delim, c.cr.TrimLeadingSpace); field > 0 {
		detail = fmt.Sprintf("%s in field %d", what, field)
	}
	if pe.StartLine != pe.Line {
		// Point at the line where the quoted value opens; that is where the
		// user has to look.
		detail += fmt.Sprintf(" (the quoted value runs on to line %d)", pe.Line)
	}
	return nil, &LineError{Line: pe.StartLine, Err: &quoteError{msg: detail, err: pe}}
}

// quoteError describes a malformed quote in our words; the csv package's
// error stays reachable with errors.Is (csv.ErrBareQuote, csv.ErrQuote).
type quoteError struct {
	msg string
	err error
}

func (e *quoteError) Error() string { return e.msg }
func (e *quoteError) Unwrap() error { return e.err }

// detectDelimiter picks ',', ';' or tab: whichever occurs most often outside
// quotes on the first non-blank line of peek. Ties and lines without any
// go to ','.
func detectDelimiter(peek []byte) byte {
	candidates := []byte{',', ';', '\t'}
	inQuotes := false
	counts := map[byte]int{}
	content := false
	for _, b := range peek {
		if b == '"' {
			inQuotes = !inQuotes
			content = true
			continue
		}
		if inQuotes {
			continue
		}
		switch b {
		case '\n':
			if content {
				return pickDelimiter(candidates, counts)
			}
			clear(counts)
		case ',', ';', '\t':
			counts[b]++
		case ' ', '\r':
		default:
			content = true
		}
	}
	return pickDelimiter(candidates, counts)
}

func pickDelimiter(candidates []byte, counts map[byte]int) byte {
	best := candidates[0]
	for _, c := range candidates[1:] {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// lineSource hands the csv package one physical line per Read, so that it
// knows which lines make up the record being parsed; on a parse error those
// lines tell which field the error is in.
type lineSource struct {
	br        *bufio.Reader
	pending   []byte // rest of a line that did not fit the caller's buffer
	line      int    // number of the line the next byte belongs to
	recFirst  int    // line number of rec[0]
	rec       []byte // bytes delivered since startRecord (capped)
	truncated bool
	lineLen   int   // bytes of the current physical line delivered so far
	recLen    int   // bytes of the current record delivered so far
	delim     byte  // for naming the field of an over-long line
	err       error // read error held back until pending bytes are delivered
}

func (s *lineSource) startRecord() {
	s.rec = s.rec[:0]
	s.recFirst = s.line
	s.truncated = false
	s.recLen = 0
}

func (s *lineSource) Read(p []byte) (int, error) {
	if len(s.pending) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		chunk, err := s.br.ReadSlice('\n')
		if len(chunk) > 0 && err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			s.err = err // deliver the bytes now, the error on the next call
		}
		if len(chunk) == 0 {
			if errors.Is(err, bufio.ErrBufferFull) {
				err = nil
			}
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, err
		}
		s.pending = append(s.pending[:0], chunk...)
	}
	n := copy(p, s.pending)
	delivered := s.pending[:n]
	if !s.truncated {
		if len(s.rec)+n > maxRecordTrace {
			s.truncated = true
		} else {
			s.rec = append(s.rec, delivered...)
		}
	}
	s.line += bytes.Count(delivered, []byte{'\n'})
	s.pending = s.pending[n:]
	if i := bytes.LastIndexByte(delivered, '\n'); i >= 0 {
		s.lineLen = len(delivered) - i - 1
	} else {
		s.lineLen += n
	}
	s.recLen += n
	switch {
	case s.lineLen > MaxLine:
		what := fmt.Errorf("the line is longer than %d KiB", MaxLine>>10)
		if f := s.fieldAt(s.recFirst, s.line, s.lineLen, s.delim, true); f > 0 {
			what = fmt.Errorf("the line is longer than %d KiB (in column %d)", MaxLine>>10, f)
		}
		s.err, s.pending = &LineError{Line: s.line, Err: what}, nil
		return 0, s.err
	case s.recLen > MaxRecord:
		s.err, s.pending = &LineError{Line: s.recFirst, Err: fmt.Errorf("the row is longer than %d KiB (a quote left open?)", MaxRecord>>10)}, nil
		return 0, s.err
	}
	return n, nil
}

// fieldAt returns the 1-based field number that byte column col (1-based)
// of line falls in, for the record starting on startLine; 0 if unknown.
func (s *lineSource) fieldAt(startLine, line, col int, delim byte, trimLeading bool) int {
	if s.truncated || startLine < s.recFirst || line < startLine {
		return 0
	}
	start := lineOffset(s.rec, startLine-s.recFirst)
	at := lineOffset(s.rec, line-s.recFirst)
	if start < 0 || at < 0 {
		return 0
	}
	end := min(at+col-1, len(s.rec))
	field, atStart, inQuotes := 1, true, false
	for i := start; i < end; i++ {
		b := s.rec[i]
		if inQuotes {
			if b == '"' {
				if i+1 < len(s.rec) && s.rec[i+1] == '"' {
					i++
				} else {
					inQuotes = false
				}
			}
			continue
		}
		switch {
		case atStart && trimLeading && (b == ' ' || b == '\t'):
		case atStart && b == '"':
			inQuotes, atStart = true, false
		case b == delim:
			field++
			atStart = true
		default:
			atStart = false
		}
	}
	return field
}

// lineOffset returns the offset of the n-th (0-based) line in b, or -1.
func lineOffset(b []byte, n int) int {
	off := 0
	for ; n > 0; n-- {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}
