package readers

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings lists the names Options.Encoding takes besides "" (UTF-8, or
// UTF-16 when the file starts with its byte order mark).
var Encodings = []string{"utf-8", "windows-1252", "latin1", "utf-16", "utf-16le", "utf-16be"}

// EncodingError is a manifest that is not valid in the encoding it is read
// with (UTF-8 by default).
type EncodingError struct {
	Column string
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("column %s is not valid UTF-8; if the file was saved by Excel on Windows, read it with --encoding windows-1252 (or latin1, utf-16), or save it as \"CSV UTF-8\"", e.Column)
}

func lookupEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "_", "-")) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "windows-1252", "cp1252", "win1252":
		return charmap.Windows1252, nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return charmap.ISO8859_1, nil
	case "utf-16", "utf16", "utf-16le", "utf16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case "utf-16be", "utf16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	}
	return nil, fmt.Errorf("--encoding %q: want one of %s", name, strings.Join(Encodings, ", "))
}

// CheckEncoding reports whether name is an encoding Open takes.
func CheckEncoding(name string) error {
	_, err := lookupEncoding(name)
	return err
}

// decode returns r decoded to UTF-8: with enc when given, otherwise UTF-16
// when r starts with a UTF-16 byte order mark, otherwise r as it is (UTF-8,
// checked cell by cell).
func decode(r io.Reader, name string) (io.Reader, error) {
	enc, err := lookupEncoding(name)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(r)
	if enc == nil {
		head, _ := br.Peek(2)
		switch {
		case bytes.Equal(head, []byte{0xFF, 0xFE}):
			enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		case bytes.Equal(head, []byte{0xFE, 0xFF}):
			enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
		default:
			return br, nil
		}
	}
	return transform.NewReader(br, enc.NewDecoder()), nil
}
