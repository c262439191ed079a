// Package jsonscan reads JSON documents of a known, common shape in one
// strict pass, for the two places that read many of them a second: the
// client's tnDetail answers (inteliquent/fastdecode.go) and the sandbox's
// requests and journal (sandbox/scan.go). Every method reports false on
// anything it does not accept — a key with escapes, nesting deeper than
// MaxDepth, invalid JSON — and the caller then gives the document to
// encoding/json, which decides it as it always has. So what is accepted,
// and how, never depends on this package: it is only the fast path.
package jsonscan

import (
	"encoding/json"
	"strings"
)

// MaxDepth is the deepest nesting the scanner reads; deeper gives up.
const MaxDepth = 64

// Scanner reads the document B from offset I.
type Scanner struct {
	B     []byte
	I     int
	depth int
}

// Next skips white space and returns the next byte (0 at the end).
func (sc *Scanner) Next() byte {
	for sc.I < len(sc.B) {
		switch c := sc.B[sc.I]; c {
		case ' ', '\t', '\n', '\r':
			sc.I++
		default:
			return c
		}
	}
	return 0
}

// End reports whether only white space is left.
func (sc *Scanner) End() bool { return sc.Next() == 0 && sc.I == len(sc.B) }

// Null consumes a null literal when one is next.
func (sc *Scanner) Null() bool {
	if sc.Next() == 'n' && strings.HasPrefix(string(sc.B[sc.I:]), "null") {
		sc.I += 4
		return true
	}
	return false
}

// Enter counts one more level of nesting for a caller that walks an
// object or array itself (false past MaxDepth: give up); Leave ends it.
func (sc *Scanner) Enter() bool {
	if sc.depth >= MaxDepth {
		return false
	}
	sc.depth++
	return true
}

// Leave ends a level of nesting Enter began.
func (sc *Scanner) Leave() { sc.depth-- }

// Object calls member for each key of an object, with the scanner at the
// value, which member must read. Keys with escapes or bytes outside
// printable ASCII give up.
func (sc *Scanner) Object(member func(key []byte) bool) bool {
	if sc.Next() != '{' || sc.depth >= MaxDepth {
		return false
	}
	sc.I++
	sc.depth++
	for first := true; ; first = false {
		c := sc.Next()
		if c == '}' && first {
			sc.I++
			sc.depth--
			return true
		}
		if c != '"' {
			return false
		}
		key, ok := sc.Key()
		if !ok || sc.Next() != ':' {
			return false
		}
		sc.I++
		if !member(key) {
			return false
		}
		switch sc.Next() {
		case ',':
			sc.I++
		case '}':
			sc.I++
			sc.depth--
			return true
		default:
			return false
		}
	}
}

// Array calls elem for each element, with the scanner at it.
func (sc *Scanner) Array(elem func() bool) bool {
	if sc.Next() != '[' || sc.depth >= MaxDepth {
		return false
	}
	sc.I++
	sc.depth++
	if sc.Next() == ']' {
		sc.I++
		sc.depth--
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch sc.Next() {
		case ',':
			sc.I++
		case ']':
			sc.I++
			sc.depth--
			return true
		default:
			return false
		}
	}
}

// Key reads the object key at I (a string literal) and returns its bytes;
// a key with escapes or bytes outside printable ASCII gives up.
func (sc *Scanner) Key() ([]byte, bool) {
	start := sc.I + 1
	for j := start; j < len(sc.B); j++ {
		switch c := sc.B[j]; {
		case c == '"':
			sc.I = j + 1
			return sc.B[start:j], true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// Str reads the string literal at I (quotes included) and says whether it
// is plain (no escapes, printable ASCII); one that is not plain is checked
// by encoding/json.
func (sc *Scanner) Str() (lit []byte, plain, ok bool) {
	start := sc.I
	plain = true
	for j := start + 1; j < len(sc.B); j++ {
		switch c := sc.B[j]; {
		case c == '"':
			sc.I = j + 1
			lit = sc.B[start:sc.I]
			return lit, plain, plain || json.Valid(lit)
		case c == '\\':
			plain = false
			j++ // the escaped byte; encoding/json checks the escape
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			plain = false
		}
	}
	return nil, false, false
}

// Scalar reads a string, number, true, false or null and returns its
// literal.
func (sc *Scanner) Scalar() ([]byte, bool) {
	switch c := sc.Next(); {
	case c == '"':
		lit, _, ok := sc.Str()
		return lit, ok
	case c == '-' || c >= '0' && c <= '9':
		return sc.Number()
	default:
		for _, w := range [...]string{"null", "true", "false"} {
			if strings.HasPrefix(string(sc.B[sc.I:]), w) {
				sc.I += len(w)
				return sc.B[sc.I-len(w) : sc.I], true
			}
		}
	}
	return nil, false
}

// Number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (sc *Scanner) Number() ([]byte, bool) {
	b, start := sc.B, sc.I
	j := start
	digits := func() int {
		n := 0
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	if j < len(b) && b[j] == '0' {
		j++
	} else if digits() == 0 {
		return nil, false
	}
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			return nil, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	sc.I = j
	return b[start:j], true
}

// Skip reads any value without keeping it.
func (sc *Scanner) Skip() bool {
	switch sc.Next() {
	case '{':
		return sc.Object(func([]byte) bool { return sc.Skip() })
	case '[':
		return sc.Array(sc.Skip)
	}
	_, ok := sc.Scalar()
	return ok
}

// Raw reads any value and returns its bytes.
func (sc *Scanner) Raw() ([]byte, bool) {
	sc.Next()
	start := sc.I
	if !sc.Skip() {
		return nil, false
	}
	return sc.B[start:sc.I], true
}

// PlainString returns the content of a JSON string literal b that holds no
// escapes and no control or non-ASCII bytes, and false for any other b (the
// caller's slow path then decides, so what is accepted never changes).
func PlainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return "", false
		}
	}
	return string(in), true
}
