package readers

import (
	"fmt"
	"strings"
)

// Column is a manifest column a job declares.
type Column struct {
	// Name is the canonical name, used by Mapping.Get and in results.
	Name string
	// Aliases are other header spellings accepted for the column.
	Aliases []string
	// Required columns must be present in the header.
	Required bool
	// Help describes the column for `iqbulk jobs` and error messages.
	Help string
}

// Mapping ties a manifest header to a job's declared columns.
type Mapping struct {
	header  []string
	columns []Column
	index   map[string]int // canonical column name -> header index
	unknown []int
}

// MissingColumnsError lists every required column the header lacks.
type MissingColumnsError struct {
	Missing []string // canonical names of the missing columns
	Header  []string // the header that was read
	// accepted holds, per missing column, every spelling that would match.
	accepted map[string][]string
}

func (e *MissingColumnsError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, name := range e.Missing {
		parts[i] = Clip(name)
		if alts := e.accepted[name]; len(alts) > 0 {
			parts[i] += " (or " + quoteList(alts, " / ") + ")"
		}
	}
	noun := "column"
	if len(e.Missing) > 1 {
		noun = "columns"
	}
	return fmt.Sprintf("missing required %s %s; the header has %s", noun, strings.Join(parts, ", "), quoteList(e.Header, ", "))
}

// DuplicateColumnError reports two header cells that match the same column.
type DuplicateColumnError struct {
	Column        string // canonical column name
	First, Second string // the two header cells
	FirstIndex    int    // 0-based header indices
	SecondIndex   int
}

func (e *DuplicateColumnError) Error() string {
	return fmt.Sprintf("header columns %d %s and %d %s both match column %q; keep one of them",
		e.FirstIndex+1, Clip(e.First), e.SecondIndex+1, Clip(e.Second), e.Column)
}

// MapHeader matches header cells to cols. Matching ignores case, spaces,
// underscores and dashes, against each column's Name and Aliases. Header
// cells that match nothing are kept as unknown columns (they pass through to
// the results). A column matched by two header cells is a
// *DuplicateColumnError; all missing required columns are reported together
// in one *MissingColumnsError.
func MapHeader(header []string, cols []Column) (*Mapping, error) {
	keys := map[string]int{} // normalised spelling -> index in cols
	for ci, c := range cols {
		for _, spelling := range append([]string{c.Name}, c.Aliases...) {
			k := headerKey(spelling)
			if _, taken := keys[k]; !taken && k != "" {
				keys[k] = ci
			}
		}
	}
	m := &Mapping{header: header, columns: cols, index: map[string]int{}}
	for hi, h := range header {
		ci, ok := keys[headerKey(h)]
		if !ok {
			m.unknown = append(m.unknown, hi)
			continue
		}
		name := cols[ci].Name
		if first, dup := m.index[name]; dup {
			return nil, &DuplicateColumnError{Column: name, First: header[first], Second: h, FirstIndex: first, SecondIndex: hi}
		}
		m.index[name] = hi
	}
	var missing *MissingColumnsError
	for _, c := range cols {
		if _, ok := m.index[c.Name]; ok || !c.Required {
			continue
		}
		if missing == nil {
			missing = &MissingColumnsError{Header: header, accepted: map[string][]string{}}
		}
		missing.Missing = append(missing.Missing, c.Name)
		missing.accepted[c.Name] = c.Aliases
	}
	if missing != nil {
		return nil, missing
	}
	return m, nil
}

// headerKey is the spelling used to compare header cells and column names.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '_', '-', '\t', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Get returns the trimmed cell of the declared column name, or "" when the
// column is not in the header (or not declared).
func (m *Mapping) Get(row Row, name string) string {
	i, ok := m.index[name]
	if !ok || i >= len(row.Values) {
		return ""
	}
	return strings.TrimSpace(row.Values[i])
}

// Has reports whether the declared column name is present in the header.
func (m *Mapping) Has(name string) bool {
	_, ok := m.index[name]
	return ok
}

// Index returns the header index of the declared column name.
func (m *Mapping) Index(name string) (int, bool) {
	i, ok := m.index[name]
	return i, ok
}

// HeaderName returns the header cell the user wrote for the declared column
// name (e.g. "Telephone Number" for "tn"), or name itself when absent.
func (m *Mapping) HeaderName(name string) string {
	if i, ok := m.index[name]; ok {
		return m.header[i]
	}
	return name
}

// Header returns the header the mapping was built from.
func (m *Mapping) Header() []string { return m.header }

// Unknown returns the header indices that match no declared column, in
// header order; their cells pass through to the results unchanged.
func (m *Mapping) Unknown() []int { return m.unknown }

// Columns returns the declared columns.
func (m *Mapping) Columns() []Column { return m.columns }

// quoteList quotes items for a message, each clipped, and at most 20 of
// them.
func quoteList(items []string, sep string) string {
	const most = 20
	q := make([]string, 0, min(len(items), most+1))
	for i, s := range items {
		if i == most {
			q = append(q, fmt.Sprintf("and %d more", len(items)-most))
			break
		}
		q = append(q, Clip(s))
	}
	return strings.Join(q, sep)
}
