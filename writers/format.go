package writers

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Format is the encoding of a table file.
type Format string

// The supported table formats.
const (
	CSV   Format = "csv"
	XLSX  Format = "xlsx"
	JSONL Format = "jsonl"
)

// Errors returned by the table writers; test for them with errors.Is.
var (
	// ErrUnknownFormat: a format name or file extension that is not csv,
	// xlsx or jsonl.
	ErrUnknownFormat = errors.New("unknown output format")
	// ErrHeaderWritten: WriteHeader called twice.
	ErrHeaderWritten = errors.New("header already written")
	// ErrNoHeader: WriteRow called before WriteHeader.
	ErrNoHeader = errors.New("header not written")
	// ErrColumnCount: a row whose cell count differs from the header's.
	ErrColumnCount = errors.New("row and header column counts differ")
	// ErrDuplicateColumn: a header naming the same column twice.
	ErrDuplicateColumn = errors.New("duplicate column name")
	// ErrEmptyHeader: a header with no columns.
	ErrEmptyHeader = errors.New("header has no columns")
	// ErrClosed: a write after Close or Abort.
	ErrClosed = errors.New("table closed")
	// ErrSheetName: an XLSX sheet name Excel rejects.
	ErrSheetName = errors.New("invalid sheet name")
)

// ParseFormat returns the Format named by s ("csv", "xlsx", "jsonl"; case
// and a leading dot are ignored), as given to a --format flag.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), ".")); f {
	case CSV, XLSX, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("writers: format %q: %w (want csv, xlsx or jsonl)", s, ErrUnknownFormat)
}

// FormatFromPath returns the Format of a file by its extension: .csv, .xlsx,
// .jsonl (or .ndjson), case-insensitive.
func FormatFromPath(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	case ".jsonl", ".ndjson":
		return JSONL, nil
	}
	return "", fmt.Errorf("writers: %s: extension %q: %w (want .csv, .xlsx or .jsonl)", path, ext, ErrUnknownFormat)
}

// Option adjusts a table writer.
type Option func(*options)

type options struct {
	sheet      string
	noBOM      bool
	tempDir    string
	maxRows    int // data rows per XLSX sheet; tests lower it
	sampleRows int // rows sampled for XLSX column widths
}

const (
	// DefaultSheet is the XLSX sheet name unless WithSheet says otherwise.
	DefaultSheet = "results"
	// maxSheetDataRows is Excel's row limit less the header row.
	maxSheetDataRows = 1_048_576 - 1
	// defaultSampleRows rows are buffered before an XLSX sheet starts, to
	// size its columns.
	defaultSampleRows = 100
)

func buildOptions(opts []Option) options {
	o := options{sheet: DefaultSheet, maxRows: maxSheetDataRows, sampleRows: defaultSampleRows}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// WithSheet names the XLSX worksheet (default "results"). Ignored by CSV and
// JSONL.
func WithSheet(name string) Option { return func(o *options) { o.sheet = name } }

// WithoutBOM leaves out the UTF-8 byte order mark that CSV files otherwise
// begin with (for consumers that do not strip it). Ignored by XLSX and JSONL.
func WithoutBOM() Option { return func(o *options) { o.noBOM = true } }

// WithTempDir sets where the XLSX writer spills sheet data larger than 16 MB
// (default: the directory of the file for Create, os.TempDir otherwise).
// Keep it off a tmpfs to keep large workbooks out of memory.
func WithTempDir(dir string) Option { return func(o *options) { o.tempDir = dir } }

// withMaxSheetRows lowers the per-sheet data row limit (tests only).
func withMaxSheetRows(n int) Option { return func(o *options) { o.maxRows = n } }
