package inteliquent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/internal/jsonscan"
)

// The guide sends the same field sometimes as a JSON string and sometimes as
// a JSON number ("tn": 6123453622 in tnOrder, "tn": "3123488244" in
// excludedE911Detail; "statusCode": "200" almost everywhere, 200 in orderList;
// "page": "1"). The types in this file accept every form the guide shows, so a
// response is never rejected for the shape of a scalar.

// TN is a telephone number. It decodes from a JSON string or a JSON number
// and always encodes as a JSON string of digits (or whatever text it holds).
type TN string

// String returns the number as text.
func (t TN) String() string { return string(t) }

// UnmarshalJSON accepts "6123453622", 6123453622 and null (empty).
func (t *TN) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return fmt.Errorf("tn: %w", err)
	}
	*t = TN(strings.TrimSpace(s))
	return nil
}

// MarshalJSON writes the number as a JSON string.
func (t TN) MarshalJSON() ([]byte, error) { return json.Marshal(string(t)) }

// FlexString is text that the API may send as a string, a number, a bool or
// null. Numbers keep their exact digits (no float rounding); null is empty.
type FlexString string

// String returns the text.
func (f FlexString) String() string { return string(f) }

// UnmarshalJSON accepts any JSON scalar.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return fmt.Errorf("flexString: %w", err)
	}
	*f = FlexString(s)
	return nil
}

// OrderID is an Inteliquent order number. It decodes from a JSON number or
// string; the string "null" (tnOrder's synchronous answer), "" and JSON null
// all mean "no order" and decode to the empty OrderID. It encodes as a JSON
// number when it is all digits (as every example request does) and as a JSON
// string otherwise.
type OrderID string

// String returns the order number, or "" when there is none.
func (o OrderID) String() string { return string(o) }

// IsZero reports whether there is no order number.
func (o OrderID) IsZero() bool { return o == "" }

// UnmarshalJSON accepts 1026471, "1026471", "null", "" and null.
func (o *OrderID) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return fmt.Errorf("orderId: %w", err)
	}
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "null") {
		s = ""
	}
	*o = OrderID(s)
	return nil
}

// MarshalJSON writes digits as a JSON number and anything else as a string.
func (o OrderID) MarshalJSON() ([]byte, error) {
	s := string(o)
	if isDigits(s) && len(s) <= 18 && (len(s) == 1 || s[0] != '0') {
		return []byte(s), nil
	}
	return json.Marshal(s)
}

// FlexInt is an integer the API may send as a number (12), a string ("12"),
// an empty string, the string "null" or JSON null. Valid is false for the
// last three.
type FlexInt struct {
	N     int64
	Valid bool
}

// Int returns the value as an int (0 when not valid).
func (f FlexInt) Int() int { return int(f.N) }

// String returns the decimal value, or "" when not valid.
func (f FlexInt) String() string {
	if !f.Valid {
		return ""
	}
	return strconv.FormatInt(f.N, 10)
}

// UnmarshalJSON accepts 12, "12", " 12 ", "", "null", null and integral
// decimals such as 12.0 or "1e3".
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return fmt.Errorf("flexInt: %w", err)
	}
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "null") {
		*f = FlexInt{}
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = FlexInt{N: n, Valid: true}
		return nil
	}
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil || fl != math.Trunc(fl) || math.Abs(fl) >= 1<<63 {
		return fmt.Errorf("flexInt: %q is not an integer", s)
	}
	*f = FlexInt{N: int64(fl), Valid: true}
	return nil
}

// MarshalJSON writes a JSON number, or null when not valid.
func (f FlexInt) MarshalJSON() ([]byte, error) {
	if !f.Valid {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatInt(f.N, 10)), nil
}

// scalarText returns the text of a JSON scalar: a string's content, a
// number's literal digits, "true"/"false", or "" for null. Objects and arrays
// are errors.
func scalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", fmt.Errorf("empty value")
	}
	switch b[0] {
	case '"':
		// The common case, a string without escapes, needs no decoder:
		// encoding/json has already checked the value is valid JSON.
		if s, ok := jsonscan.PlainString(b); ok {
			return s, nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", err
		}
		return s, nil
	case 'n':
		if string(b) == "null" {
			return "", nil
		}
	case 't', 'f':
		if string(b) == "true" || string(b) == "false" {
			return string(b), nil
		}
	case '{', '[':
		return "", fmt.Errorf("expected a scalar, got %s", kindOf(b[0]))
	default:
		if isDigits(string(b)) && (len(b) == 1 || b[0] != '0') {
			return string(b), nil // a plain integer, the common number
		}
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return "", err
		}
		return n.String(), nil
	}
	return "", fmt.Errorf("invalid JSON scalar")
}

func kindOf(c byte) string {
	if c == '{' {
		return "an object"
	}
	return "an array"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
