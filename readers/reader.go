package readers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Row is one data row of a manifest.
type Row struct {
	// Line is the 1-based physical line where the record starts (CSV) or the
	// sheet row number (XLSX): the place the user finds the row in their file.
	Line int
	// Values holds the cells aligned to Header(); short rows are padded with "".
	Values []string
}

// Reader streams the rows of a manifest. Next returns io.EOF after the last
// row. Any other error is a manifest error: the reader stops there and
// returns the same error on every later call.
type Reader interface {
	Header() []string
	Next() (Row, error)
	Close() error
}

// Options tune Open.
type Options struct {
	// Sheet is the XLSX sheet to read; "" reads the first sheet. Ignored for CSV.
	Sheet string
	// Encoding of a CSV manifest: "" for UTF-8 (or UTF-16 when the file
	// starts with its byte order mark), or one of Encodings. Ignored for
	// XLSX, which is always Unicode.
	Encoding string
}

// Manifest formats returned by Format.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// ErrUnsupportedFormat is returned (wrapped) for a file whose extension is
// neither CSV nor XLSX.
var ErrUnsupportedFormat = errors.New("unsupported manifest format")

// Format reports the manifest format of path from its extension: "csv" for
// .csv, .txt and .tsv, "xlsx" for .xlsx.
func Format(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv", ".txt", ".tsv":
		return FormatCSV, nil
	case ".xlsx":
		return FormatXLSX, nil
	case ".xls":
		return "", fmt.Errorf("%s: %w: .xls (Excel 97-2003) is not supported; save the workbook as .xlsx or .csv", path, ErrUnsupportedFormat)
	case "":
		return "", fmt.Errorf("%s: %w: the file has no extension; use .csv, .tsv, .txt or .xlsx", path, ErrUnsupportedFormat)
	default:
		return "", fmt.Errorf("%s: %w %q; use .csv, .tsv, .txt or .xlsx", path, ErrUnsupportedFormat, ext)
	}
}

// Open opens a manifest, choosing the reader by the file's extension (see
// Format). The caller must Close the returned Reader.
func Open(path string, opts Options) (Reader, error) {
	format, err := Format(path)
	if err != nil {
		return nil, err
	}
	if format == FormatXLSX {
		return openXLSX(path, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open manifest: %w", err)
	}
	in, err := decode(f, opts.Encoding)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	r, err := newCSV(in, f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// isBlankRow reports whether every cell is empty or white space.
func isBlankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// trimCells trims white space around every header cell.
func trimCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// align fits cells to a header of width n: short rows are padded with "",
// empty cells past the header are dropped, and a non-empty cell past the
// header is an error (a value without a column would otherwise be lost).
func align(cells []string, n int) ([]string, error) {
	if len(cells) > n {
		for i := n; i < len(cells); i++ {
			if strings.TrimSpace(cells[i]) != "" {
				return nil, fmt.Errorf("%d cells but the header has %d columns (extra value %s in column %d)", len(cells), n, Clip(cells[i]), i+1)
			}
		}
		cells = cells[:n]
	}
	out := make([]string, n)
	copy(out, cells)
	return out, nil
}
