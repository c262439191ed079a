package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/internal/jsonscan"
)

// tnValue is a telephone number as the guide's requests send it: a JSON
// number (6123453622) or a string ("2015540010"). It keeps the text form.
type tnValue string

// UnmarshalJSON accepts a JSON number, a string or null.
func (t *tnValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*t = ""
		return nil
	}
	if s, ok := jsonscan.PlainString(b); ok {
		*t = tnValue(strings.TrimSpace(s))
		return nil
	}
	if plainJSONInt(b) {
		*t = tnValue(b)
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("tn: %w", err)
		}
		*t = tnValue(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("tn: %w", err)
	}
	*t = tnValue(n.String())
	return nil
}

// parseTN turns a request TN into a 10-digit number. It accepts an
// 11-digit form with a leading 1 and "+1".
func parseTN(s string) (uint64, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if len(s) == 11 && s[0] == '1' {
		s = s[1:]
	}
	if len(s) != 10 || s[0] < '2' {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

func tnString(n uint64) string { return strconv.FormatUint(n, 10) }

// flexString accepts a JSON string, number or boolean and keeps its text.
type flexString string

// UnmarshalJSON accepts any scalar.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		s, ok := jsonscan.PlainString(b)
		if !ok {
			if err := json.Unmarshal(b, &s); err != nil {
				return fmt.Errorf("string: %w", err)
			}
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("expected a scalar, got %.20s", b)
	default:
		*f = flexString(b)
	}
	return nil
}

// flexInt accepts a JSON number or a numeric string ("1").
type flexInt int64

// UnmarshalJSON accepts 10, "10", "" and null.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if strings.TrimSpace(string(s)) == "" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil {
		return fmt.Errorf("integer: %w", err)
	}
	*f = flexInt(n)
	return nil
}

// fields is a flat object of scalars (endUser, callerId, e911 ...). Keys
// are kept as sent; values become text.
type fields map[string]string

// UnmarshalJSON accepts an object of scalars (nested values are ignored).
func (f *fields) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*f = nil
		return nil
	}
	if out, ok := scalarFields(b); ok {
		*f = out
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("object: %w", err)
	}
	out := make(fields, len(raw))
	for k, v := range raw {
		var s flexString
		if err := s.UnmarshalJSON(v); err != nil {
			continue
		}
		out[k] = string(s)
	}
	*f = out
	return nil
}

func (f fields) get(k string) string { return strings.TrimSpace(f[k]) }

// tnFeature is the feature block of a tnItem.
type tnFeature struct {
	CallerID         fields `json:"callerId,omitempty"`
	DirectoryListing fields `json:"directoryListing,omitempty"`
	E911             fields `json:"e911,omitempty"`
	Messaging        fields `json:"messaging,omitempty"`
}

// tnItem is one number of a tnList; which fields matter depends on the
// operation.
type tnItem struct {
	TN         tnValue    `json:"tn"`
	TrunkGroup string     `json:"trunkGroup,omitempty"`
	PortOutPin flexString `json:"portOutPin,omitempty"`
	TnNote     string     `json:"tnNote,omitempty"`
	EndUser    fields     `json:"endUser,omitempty"`
	TnFeature  *tnFeature `json:"tnFeature,omitempty"`
}

type tnList struct {
	TnItem []tnItem `json:"tnItem"`
}

func (l *tnList) tns() []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.TnItem))
	for i, it := range l.TnItem {
		out[i] = string(it.TN)
	}
	return out
}

// pageSort is the guide's paging object.
type pageSort struct {
	Property  string  `json:"property,omitempty"`
	Direction string  `json:"direction,omitempty"`
	Size      flexInt `json:"size,omitempty"`
	Page      flexInt `json:"page,omitempty"`
	SearchID  string  `json:"searchId,omitempty"`
}

// envelope is the common answer head.
type envelope struct {
	Status     string `json:"status"`
	StatusCode any    `json:"statusCode"`
}

func success() envelope { return envelope{Status: "Success", StatusCode: "200"} }

func fail(code, status string) envelope { return envelope{Status: status, StatusCode: code} }

func (e envelope) head() envelope { return e }

// answer is what every operation returns: something JSON with an envelope.
type answer interface{ head() envelope }

// obj is a free-form answer whose head is carried separately.
type obj struct {
	envelope
	body map[string]any
}

// MarshalJSON flattens head and body into one object.
func (o obj) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(o.body)+2)
	for k, v := range o.body {
		m[k] = v
	}
	m["status"] = o.Status
	m["statusCode"] = o.StatusCode
	return json.Marshal(m)
}

// exclusionStatus renders per-number exclusions the way tnOrder does:
// {2=[6123453624 TN is on an existing order, 6123453625 reason]}.
func exclusionStatus(ex []exclusion) string {
	if len(ex) == 0 {
		return "Success"
	}
	var b strings.Builder
	b.WriteString("{2=[")
	for i, e := range ex {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.tn)
		b.WriteByte(' ')
		b.WriteString(e.reason)
	}
	b.WriteString("]}")
	return b.String()
}
