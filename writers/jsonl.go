package writers

import (
	"bufio"
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonlTable writes one JSON object per line, keys in header order, values
// strings, unneutralised.
type jsonlTable struct {
	shape
	w    *bufio.Writer
	keys [][]byte // `"key":` per column, encoded once
	line []byte   // reused line buffer
}

var _ Table = (*jsonlTable)(nil)

// NewJSONL returns a JSON Lines Table writing to w: one object per row,
// {"col1":"v1","col2":"v2"}, keys in header order, every value a string,
// values not neutralised (see the package documentation). Invalid UTF-8
// becomes U+FFFD. Close flushes but does not close w.
func NewJSONL(w io.Writer) Table {
	return &jsonlTable{w: bufio.NewWriterSize(w, 64<<10)}
}

func (t *jsonlTable) WriteHeader(cols []string) error {
	if err := t.header(cols); err != nil {
		return err
	}
	t.keys = make([][]byte, len(cols))
	for i, c := range cols {
		k := appendJSONString(nil, c)
		t.keys[i] = append(k, ':')
	}
	return nil
}

func (t *jsonlTable) WriteRow(cells []string) error {
	if err := t.row(cells); err != nil {
		return err
	}
	b := append(t.line[:0], '{')
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, t.keys[i]...)
		b = appendJSONString(b, c)
	}
	b = append(b, '}', '\n')
	t.line = b
	if _, err := t.w.Write(b); err != nil {
		return fmt.Errorf("writers: jsonl: %w", err)
	}
	return nil
}

func (t *jsonlTable) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("writers: jsonl: flush: %w", err)
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal. Like encoding/json it
// escapes control characters, U+2028 and U+2029 and replaces invalid UTF-8
// with U+FFFD; unlike it, it leaves <, > and & alone.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
