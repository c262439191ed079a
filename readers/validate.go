package readers

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// FieldError is one invalid cell of a manifest row.
type FieldError struct {
	Line   int    // Row.Line
	Column string // the header cell as the user wrote it
	Value  string
	Reason string // reads after the value: "is 20 characters, the limit is 15"
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("row %d, column %s: %s %s", e.Line, Clip(e.Column), Clip(e.Value), e.Reason)
}

// Errors is every FieldError of a row (or a file); it is an error itself.
type Errors []*FieldError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As find the individual FieldErrors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// A Rule checks one cell value and returns the value to use (trimmed, and
// canonical where the rule knows a canonical form), or an error whose
// message reads after the value ("is 20 characters, the limit is 15").
// Every rule but Required accepts "" (an empty optional cell).
type Rule func(value string) (string, error)

// Collector runs rules over the cells of one row and gathers every
// FieldError, so a user sees all the problems of a row at once.
//
//	c := readers.NewCollector(m, row)
//	tn := c.Check("tn", readers.Required, readers.TN)
//	name := c.Check("calling_name", readers.CallingName)
//	if err := c.Err(); err != nil { ... }
type Collector struct {
	m    *Mapping
	row  Row
	errs Errors
}

// NewCollector prepares to check row, whose columns m describes.
func NewCollector(m *Mapping, row Row) *Collector {
	return &Collector{m: m, row: row}
}

// Check runs rules in order over the declared column name and returns the
// resulting value. The first failing rule records a FieldError (named after
// the user's header cell) and stops the column's checks; the returned value
// is then the trimmed cell.
func (c *Collector) Check(name string, rules ...Rule) string {
	v := c.m.Get(c.row, name)
	out := v
	for _, rule := range rules {
		next, err := rule(out)
		if err != nil {
			c.errs = append(c.errs, &FieldError{Line: c.row.Line, Column: c.m.HeaderName(name), Value: v, Reason: err.Error()})
			return v
		}
		out = next
	}
	return out
}

// Add records a problem found by the job itself (one spanning columns, say).
func (c *Collector) Add(name, value, reason string) {
	c.errs = append(c.errs, &FieldError{Line: c.row.Line, Column: c.m.HeaderName(name), Value: value, Reason: reason})
}

// Errors returns the FieldErrors gathered so far.
func (c *Collector) Errors() Errors { return c.errs }

// Err returns nil, or an Errors holding every FieldError gathered.
func (c *Collector) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// Required rejects an empty (or all-blank) value.
func Required(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("is empty; the column is required")
	}
	return v, nil
}

// TN normalises a telephone number with NormalizeTN.
func TN(v string) (string, error) { return optional(v, tnRule(NormalizeTN)) }

// TollFree normalises a toll-free number with NormalizeTollFree.
func TollFree(v string) (string, error) { return optional(v, tnRule(NormalizeTollFree)) }

func tnRule(norm func(string) (string, error)) func(string) (string, error) {
	return func(v string) (string, error) {
		tn, err := norm(v)
		var te *TNError
		if errors.As(err, &te) {
			return "", errors.New(te.Reason)
		}
		return tn, err
	}
}

// OneOf accepts one of allowed, compared case-insensitively, and returns it
// spelled as in allowed.
func OneOf(allowed ...string) Rule {
	return func(v string) (string, error) {
		return optional(v, func(v string) (string, error) {
			for _, a := range allowed {
				if strings.EqualFold(v, a) {
					return a, nil
				}
			}
			return "", fmt.Errorf("is not one of %s", strings.Join(allowed, ", "))
		})
	}
}

// MaxLen rejects a value longer than n characters.
func MaxLen(n int) Rule {
	return func(v string) (string, error) {
		return optional(v, func(v string) (string, error) {
			if l := utf8.RuneCountInString(v); l > n {
				return "", fmt.Errorf("is %d characters, the limit is %d", l, n)
			}
			return v, nil
		})
	}
}

// MaxLenFor is MaxLen with the guide's Character Limits entry for field
// (a key of Limits, e.g. "endUser.city"). It panics on an unknown key: that
// is a mistake in a job's declaration, caught by its tests. Jobs build
// their rules per row, so it reads one table built once (never written)
// instead of a fresh copy of Limits per call.
func MaxLenFor(field string) Rule {
	n, ok := limitTable()[field]
	if !ok {
		panic(fmt.Sprintf("readers: no character limit known for %q", field))
	}
	return MaxLen(n)
}

// Date accepts YYYY-MM-DD, and the date-and-time text the XLSX reader emits
// for a date cell with a time format when the time is midnight
// ("2024-01-15 00:00:00"); it returns YYYY-MM-DD.
func Date(v string) (string, error) {
	return optional(v, func(v string) (string, error) {
		d, rest := v, ""
		if len(v) > 10 {
			d, rest = v[:10], v[10:]
		}
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return "", errors.New("is not a date in the form YYYY-MM-DD (e.g. 2015-12-15)")
		}
		switch rest {
		case "", " 00:00:00", "T00:00:00", "T00:00:00Z", " 00:00", "T00:00:00.000Z":
		default:
			return "", errors.New("is a date with a time of day; give the date alone as YYYY-MM-DD")
		}
		return t.Format(time.DateOnly), nil
	})
}

// YN accepts Y/N and also yes/no, true/false, 1/0 (any case) and returns
// "Y" or "N".
func YN(v string) (string, error) {
	return optional(v, func(v string) (string, error) {
		switch strings.ToLower(v) {
		case "y", "yes", "true", "1":
			return "Y", nil
		case "n", "no", "false", "0":
			return "N", nil
		}
		return "", errors.New("is not Y or N")
	})
}

// CallingName checks a caller ID name: at most 15 characters and at least
// one letter (the guide's callingName rule).
func CallingName(v string) (string, error) {
	return optional(v, func(v string) (string, error) {
		if _, err := MaxLen(Limits()["callingName"])(v); err != nil {
			return "", err
		}
		if !strings.ContainsFunc(v, unicode.IsLetter) {
			return "", errors.New("has no letter; a calling name needs at least one")
		}
		return v, nil
	})
}

// Digits accepts a value made of digits only (a PIN, say), at most n long
// when n > 0.
func Digits(n int) Rule {
	return func(v string) (string, error) {
		return optional(v, func(v string) (string, error) {
			if !isDigits(v) {
				return "", errors.New("must be digits only")
			}
			if n > 0 && len(v) > n {
				return "", fmt.Errorf("is %d digits, the limit is %d", len(v), n)
			}
			return v, nil
		})
	}
}

// optional trims v and applies check unless v is empty.
func optional(v string, check func(string) (string, error)) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	return check(v)
}

// Limits returns the guide's Character Limits table (section "Character
// Limits"; spec/ENDPOINTS.md §7) plus the limits stated elsewhere in the
// guide, keyed by the guide's field name, grouped fields as group.field. The
// map is a fresh copy on every call.
//
// The guide's table lost its first rows in extraction; it swaps
// messageType and messageClass relative to the operation tables (whose
// values would not fit: SMSMMS_ALT is 10 characters), so those two are
// left out; jobs check them with OneOf.
func Limits() map[string]int { return maps.Clone(limitTable()) }

// limitTable is the table Limits copies, built on first use and never
// written.
var limitTable = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"accountPin": 15,
		"authName":   50,
		"authDate":   10,

		"endUser.name":          32,
		"endUser.streetNum":     10,
		"endUser.streetPreDir":  2,
		"endUser.streetName":    50,
		"endUser.streetType":    10,
		"endUser.city":          32,
		"endUser.state":         2,
		"endUser.postalCode":    10,
		"endUser.typeOfService": 1,

		"callingName":          15,
		"callerId.callingName": 15,

		"directoryListing.lastName":      50,
		"directoryListing.firstName":     50,
		"directoryListing.streetNum":     10,
		"directoryListing.streetPreDir":  2,
		"directoryListing.streetName":    50,
		"directoryListing.streetType":    10,
		"directoryListing.streetPostDir": 2,
		"directoryListing.location":      30,
		"directoryListing.city":          35,
		"directoryListing.state":         2,
		"directoryListing.postalCode":    10,

		"e911.name":                   32,
		"e911.origStreetNum":          10,
		"e911.origStreetInfo":         48,
		"e911.origLocation":           60,
		"e911.origCity":               32,
		"e911.origState":              2,
		"e911.origPostalCode":         10,
		"e911.origPostalCodePlusFour": 4,

		"messaging.altSpid":     10,
		"messaging.netNumberId": 10,

		// Stated outside the table.
		"customerOrderReference": 50, // trunkGroupOrder error example
		"tnMask":                 10, // tnInventory, tfInventory
		"tnWildcard":             10, // tfInventory
		"resporgId":              5,  // tfOrder
		"script":                 42000,
	}
})
