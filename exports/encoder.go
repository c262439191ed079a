package exports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/iqbulk/iqbulk/writers"
)

// encoder turns pages into the partial file's bytes. For CSV and JSONL
// those are the writers' own bytes (a page is encoded by a fresh table and
// its header cut off), so the file equals a streamed one.
type encoder struct {
	format writers.Format
	cols   []string
	hdrLen int
	buf    bytes.Buffer
}

func newEncoder(f writers.Format, cols []string) (*encoder, error) {
	e := &encoder{format: f, cols: cols}
	switch f {
	case writers.CSV, writers.JSONL:
		if err := e.encode(nil, false); err != nil {
			return nil, err
		}
		e.hdrLen = e.buf.Len()
	case writers.XLSX:
	default:
		return nil, fmt.Errorf("exports: format %q: %w", f, writers.ErrUnknownFormat)
	}
	return e, nil
}

func (e *encoder) encode(rows [][]string, bom bool) error {
	e.buf.Reset()
	var opts []writers.Option
	if !bom {
		opts = append(opts, writers.WithoutBOM())
	}
	t, err := writers.New(&e.buf, e.format, opts...)
	if err != nil {
		return err
	}
	if err := t.WriteHeader(e.cols); err != nil {
		return err
	}
	for _, r := range rows {
		if err := t.WriteRow(r); err != nil {
			return err
		}
	}
	return t.Close()
}

// fileHeader is what the file starts with (CSV: BOM and header).
func (e *encoder) fileHeader() []byte {
	if e.format != writers.CSV {
		return nil
	}
	if err := e.encode(nil, true); err != nil {
		return nil
	}
	return bytes.Clone(e.buf.Bytes())
}

func (e *encoder) page(rows [][]string) ([]byte, error) {
	if e.format == writers.XLSX {
		e.buf.Reset()
		for _, r := range rows {
			if len(r) != len(e.cols) {
				return nil, fmt.Errorf("exports: row has %d cells, header %d: %w", len(r), len(e.cols), writers.ErrColumnCount)
			}
			b, err := json.Marshal(r)
			if err != nil {
				return nil, fmt.Errorf("exports: spool: %w", err)
			}
			e.buf.Write(b)
			e.buf.WriteByte('\n')
		}
		return e.buf.Bytes(), nil
	}
	if err := e.encode(rows, false); err != nil {
		return nil, err
	}
	return e.buf.Bytes()[e.hdrLen:], nil
}
