package readers

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
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

// Shorten cuts s to at most QuoteLimit characters for a log attribute
// (which quotes it itself).
func Shorten(s string) string {
	if utf8.RuneCountInString(s) <= QuoteLimit {
		return s
	}
	return string([]rune(s)[:QuoteLimit-1]) + "…"
}

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
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" && !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		if err := scanPart(f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// scanPart streams one XML part and refuses a text run longer than MaxCell
// (an entity is never shorter than what it stands for, so a cell's text is
// never longer than its run in the file): the XML decoder would otherwise
// hold the whole run, however long, before any cell is checked. In a sheet
// it names the cell; in the shared strings the string's position.
func scanPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var (
		buf      = make([]byte, 256<<10)
		inTag    bool
		run      int    // bytes of text since the last tag
		tag      []byte // the current tag's first bytes
		lastRef  string // r="B2" of the last cell seen
		nStrings int    // <si> elements seen
	)
	sheet := f.Name != "xl/sharedStrings.xml"
	endTag := func() {
		switch {
		case sheet && bytes.HasPrefix(tag, []byte("c ")):
			if i := bytes.Index(tag, []byte(` r="`)); i >= 0 {
				ref := tag[i+4:]
				if j := bytes.IndexByte(ref, '"'); j >= 0 {
					lastRef = string(ref[:j])
				}
			}
		case !sheet && (bytes.Equal(tag, []byte("si")) || bytes.HasPrefix(tag, []byte("si "))):
			nStrings++
		}
	}
	tooLong := func() error {
		switch {
		case sheet && lastRef != "":
			return &LineError{Line: refRow(lastRef), Err: fmt.Errorf("cell %s holds more than %d KiB of text", lastRef, MaxCell>>10)}
		case sheet:
			return fmt.Errorf("part %s holds a text of more than %d KiB", f.Name, MaxCell>>10)
		}
		return fmt.Errorf("shared string %d holds more than %d KiB of text; no cell may", nStrings, MaxCell>>10)
	}
	for {
		n, rerr := rc.Read(buf)
		b := buf[:n]
		for len(b) > 0 {
			if inTag {
				j := bytes.IndexByte(b, '>')
				part := b
				if j >= 0 {
					part = b[:j]
				}
				if room := 256 - len(tag); room > 0 {
					tag = append(tag, part[:min(room, len(part))]...)
				}
				if j < 0 {
					break
				}
				inTag, run = false, 0
				endTag()
				b = b[j+1:]
				continue
			}
			j := bytes.IndexByte(b, '<')
			if j < 0 {
				run += len(b)
			} else {
				run += j
			}
			if run > MaxCell {
				return tooLong()
			}
			if j < 0 {
				break
			}
			inTag, tag = true, tag[:0]
			b = b[j+1:]
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("part %s: %w", f.Name, rerr)
		}
	}
}

// refRow is the row number of a cell reference such as "B12" (0 if none).
func refRow(ref string) int {
	i := strings.IndexAny(ref, "0123456789")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(ref[i:])
	return n
}
