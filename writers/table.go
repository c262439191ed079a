package writers

import (
	"fmt"
	"io"
)

// Table is a streaming table writer: WriteHeader once, then WriteRow for
// every row (each with as many cells as the header), then Close. Values are
// written as given, except that CSV and XLSX pass every cell, header
// included, through [Neutralize]. A Table is not safe for concurrent use.
type Table interface {
	WriteHeader(cols []string) error
	WriteRow(cells []string) error
	Close() error
}

// Aborter is implemented by the tables [Create] returns: Abort discards the
// temporary file and leaves whatever was at the destination untouched.
// Abort after Close does nothing.
type Aborter interface {
	Abort() error
}

// New returns a Table of format f writing to w. Close flushes the table but
// does not close w.
func New(w io.Writer, f Format, opts ...Option) (Table, error) {
	switch f {
	case CSV:
		return NewCSV(w, opts...), nil
	case XLSX:
		return NewXLSX(w, opts...)
	case JSONL:
		return NewJSONL(w), nil
	}
	return nil, fmt.Errorf("writers: format %q: %w", f, ErrUnknownFormat)
}

// shape enforces the Table call protocol shared by every format.
type shape struct {
	cols   int // 0 until the header is written
	closed bool
}

func (s *shape) header(cols []string) error {
	switch {
	case s.closed:
		return fmt.Errorf("writers: write header: %w", ErrClosed)
	case s.cols > 0:
		return fmt.Errorf("writers: write header: %w", ErrHeaderWritten)
	case len(cols) == 0:
		return fmt.Errorf("writers: write header: %w", ErrEmptyHeader)
	}
	seen := make(map[string]struct{}, len(cols))
	for _, c := range cols {
		if _, dup := seen[c]; dup {
			return fmt.Errorf("writers: write header: column %q: %w", c, ErrDuplicateColumn)
		}
		seen[c] = struct{}{}
	}
	s.cols = len(cols)
	return nil
}

func (s *shape) row(cells []string) error {
	switch {
	case s.closed:
		return fmt.Errorf("writers: write row: %w", ErrClosed)
	case s.cols == 0:
		return fmt.Errorf("writers: write row: %w", ErrNoHeader)
	case len(cells) != s.cols:
		return fmt.Errorf("writers: write row: %d cells, header has %d: %w", len(cells), s.cols, ErrColumnCount)
	}
	return nil
}
