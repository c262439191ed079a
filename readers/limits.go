package readers

import (
	"archive/zip"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Bounds on what a reader holds at once, whatever the file: a hostile or
// broken manifest is refused with a clear error instead of costing memory.
const (
	// MaxCell is the longest cell accepted, in bytes.
	MaxCell = 64 << 10
	// MaxLine is the longest physical line of a CSV manifest, in bytes.
	MaxLine = 64 << 10
	// MaxRecord is the longest CSV record (a row whose quoted cells span
	// lines), in bytes.
	MaxRecord = 1 << 20
	// QuoteLimit is how many characters of a value an error message quotes.
	QuoteLimit = 80

	// An XLSX part may inflate to at most maxPartRatio times its compressed
	// size once it is larger than ratioFloor; and no part may inflate past
	// maxPartSize, nor the whole workbook past maxWorkbookSize.
	maxPartRatio    = 200
	ratioFloor      = 16 << 20
	maxPartSize     = 1 << 30
	maxWorkbookSize = 2 << 30
)

// Clip quotes s for an error message, at most QuoteLimit characters of it;
// a longer value is cut and its length said.
func Clip(s string) string {
	if utf8.RuneCountInString(s) <= QuoteLimit {
		return strconv.Quote(s)
	}
	n, cut := 0, len(s)
	for i := range s {
		if n == QuoteLimit-1 {
			cut = i
			break
		}
		n++
	}
	return strconv.Quote(s[:cut]+"…") + fmt.Sprintf(" (%d bytes)", len(s))
}

// CellTooLongError is a cell longer than MaxCell.
type CellTooLongError struct {
	Column string // the header cell, or "column N"
	Len    int
}

func (e *CellTooLongError) Error() string {
	return fmt.Sprintf("column %s: the cell is %d bytes, the limit is %d KiB", e.Column, e.Len, MaxCell>>10)
}

// checkCells returns a *CellTooLongError for the first cell longer than
// MaxCell, naming it by header (nil header: by position).
func checkCells(cells, header []string) error {
	for i, c := range cells {
		if len(c) > MaxCell {
			return &CellTooLongError{Column: columnName(header, i), Len: len(c)}
		}
	}
	return nil
}

func columnName(header []string, i int) string {
	if i < len(header) && header[i] != "" {
		return Clip(header[i])
	}
	return strconv.Itoa(i + 1)
}

// ErrZipBomb is returned (wrapped) for a workbook whose parts would inflate
// past a sane size or ratio.
var ErrZipBomb = fmt.Errorf("the workbook inflates far beyond its size (a damaged or hostile file)")

// checkZip reads the workbook's directory, not its contents, and refuses
// parts whose declared sizes are out of bounds. The zip reader enforces
// the declared sizes when a part is read, so they cannot lie.
func checkZip(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("open workbook %s: %w", path, err)
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		total += u
		switch {
		case u > maxPartSize:
			return fmt.Errorf("%s: part %s inflates to %d MiB: %w", path, f.Name, u>>20, ErrZipBomb)
		case u > ratioFloor && u > c*maxPartRatio:
			return fmt.Errorf("%s: part %s inflates %d times (%d KiB to %d MiB): %w", path, f.Name, u/max(c, 1), c>>10, u>>20, ErrZipBomb)
		case total > maxWorkbookSize:
			return fmt.Errorf("%s: the parts inflate to more than %d MiB: %w", path, maxWorkbookSize>>20, ErrZipBomb)
		}
	}
	return nil
}
