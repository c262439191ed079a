package writers

import (
	"encoding/csv"
	"fmt"
	"io"
)

// utf8BOM makes Excel read a CSV file as UTF-8.
const utf8BOM = "\ufeff"

// csvTable writes CSV: "," separator, LF line endings, every cell
// neutralised, UTF-8 with a BOM unless WithoutBOM.
type csvTable struct {
	shape
	out  io.Writer
	w    *csv.Writer
	bom  bool
	cell []string // reused buffer of neutralised cells
}

var _ Table = (*csvTable)(nil)

// NewCSV returns a CSV Table writing to w (see the package documentation for
// the dialect). Options other than WithoutBOM are ignored. Close flushes but
// does not close w.
func NewCSV(w io.Writer, opts ...Option) Table {
	o := buildOptions(opts)
	cw := csv.NewWriter(w)
	cw.UseCRLF = false
	return &csvTable{out: w, w: cw, bom: !o.noBOM}
}

func (t *csvTable) WriteHeader(cols []string) error {
	if err := t.header(cols); err != nil {
		return err
	}
	if t.bom {
		if _, err := io.WriteString(t.out, utf8BOM); err != nil {
			return fmt.Errorf("writers: csv: write BOM: %w", err)
		}
	}
	t.cell = make([]string, len(cols))
	return t.write(cols)
}

func (t *csvTable) WriteRow(cells []string) error {
	if err := t.row(cells); err != nil {
		return err
	}
	return t.write(cells)
}

func (t *csvTable) write(cells []string) error {
	for i, c := range cells {
		t.cell[i] = Neutralize(c)
	}
	if err := t.w.Write(t.cell); err != nil {
		return fmt.Errorf("writers: csv: %w", err)
	}
	return nil
}

func (t *csvTable) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return fmt.Errorf("writers: csv: flush: %w", err)
	}
	return nil
}
