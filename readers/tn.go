package readers

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// TNError explains why a value is not a usable telephone number.
type TNError struct {
	Value  string // the value as written in the manifest
	Reason string // reads after the value: "has 9 digits, want 10"
}

func (e *TNError) Error() string { return displayValue(e.Value) + " " + e.Reason }

// tollFreePrefixes are the toll-free NPAs (8XX with XX in 00, 33 ... 88).
var tollFreePrefixes = [...]string{"800", "833", "844", "855", "866", "877", "888"}

// NormalizeTN returns the 10-digit North American number in s, accepting the
// usual spellings: "+1 (312) 555-0100", "1-312-555-0100", "312.555.0100",
// "3125550100.0" (a number stored as a float), " 3125550100 ". An 11-digit
// number starting with 1 loses the 1. Anything else is a *TNError saying
// exactly what is wrong: scientific notation (the spreadsheet lost digits),
// letters, the wrong number of digits, an area code or exchange starting
// with 0 or 1.
func NormalizeTN(s string) (string, error) {
	v := strings.TrimSpace(strings.Trim(s, "\u00a0\ufeff"))
	bad := func(format string, args ...any) error {
		return &TNError{Value: s, Reason: fmt.Sprintf(format, args...)}
	}
	if v == "" {
		return "", bad("is empty")
	}
	v = strings.TrimPrefix(v, "'") // Excel's "store as text" prefix
	if isScientific(v) {
		return "", bad("is in scientific notation: the spreadsheet lost digits; format the column as text")
	}
	if intPart, frac, ok := strings.Cut(strings.TrimPrefix(v, "+"), "."); ok && isDigits(intPart) && isDigits(frac) {
		// A single dot between digits is a decimal number, not 312.555.0100.
		if strings.Trim(frac, "0") != "" {
			return "", bad("is a decimal number (fraction .%s), not a phone number", frac)
		}
		v = intPart // 3125550100.0: a number stored as a float
	}
	digits := make([]byte, 0, 11)
	plus := false
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || r == '\u00a0' || r == '\t':
		case unicode.IsLetter(r):
			return "", bad("contains letters (%q); write the number in digits", string(r))
		default:
			return "", bad("contains %q, which is not part of a phone number", string(r))
		}
	}
	if len(digits) == 0 {
		return "", bad("has no digits")
	}
	if plus && digits[0] != '1' {
		return "", bad("is not a North American (+1) number")
	}
	switch {
	case len(digits) == 11 && digits[0] == '1':
		digits = digits[1:]
	case len(digits) == 11:
		return "", bad("has 11 digits, want 10 (or 11 starting with 1)")
	case len(digits) != 10:
		return "", bad("has %d digits, want 10", len(digits))
	}
	switch {
	case digits[0] == '0' || digits[0] == '1':
		return "", bad("has area code %s: an area code cannot start with 0 or 1", digits[:3])
	case digits[3] == '0' || digits[3] == '1':
		return "", bad("has exchange %s: an exchange (NXX) cannot start with 0 or 1", digits[3:6])
	}
	return string(digits), nil
}

// NormalizeTollFree is NormalizeTN for toll-free jobs: the number must also
// start with 800, 833, 844, 855, 866, 877 or 888.
func NormalizeTollFree(s string) (string, error) {
	tn, err := NormalizeTN(s)
	if err != nil {
		return "", err
	}
	for _, p := range tollFreePrefixes {
		if tn[:3] == p {
			return tn, nil
		}
	}
	return "", &TNError{Value: s, Reason: fmt.Sprintf("is not toll-free: the prefix %s is not one of %s", tn[:3], strings.Join(tollFreePrefixes[:], ", "))}
}

// isScientific reports whether v is a number in exponent form (3.12E+09).
func isScientific(v string) bool {
	i := strings.IndexAny(v, "eE")
	if i <= 0 {
		return false
	}
	mant, exp := v[:i], v[i+1:]
	mant = strings.TrimPrefix(mant, "+")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !isDigits(intPart) || (frac != "" && !isDigits(frac)) {
		return false
	}
	exp = strings.TrimLeft(exp, "+-")
	return exp != "" && isDigits(exp)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// displayValue prints a value bare when that is unambiguous, quoted otherwise.
func displayValue(v string) string {
	if len(v) > QuoteLimit {
		return Clip(v)
	}
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsGraphic(r) || unicode.IsSpace(r) }) {
		return strconv.Quote(v)
	}
	return v
}
