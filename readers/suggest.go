package readers

import (
	"fmt"
	"strings"
)

// NearMissError is a header cell that matches no column of the job but is
// a small edit away from one: most likely a misspelling that would
// otherwise be dropped without a word (trunk_grup for trunk_group).
type NearMissError struct {
	Header string // the header cell as written
	Column string // the column it is close to (canonical name)
	Known  string // the spelling it is close to (the name or an alias)
}

func (e *NearMissError) Error() string {
	s := fmt.Sprintf("header %s matches no column of this job; did you mean %q", Clip(e.Header), e.Column)
	if e.Known != e.Column {
		s += fmt.Sprintf(" (also written %q)", e.Known)
	}
	return s + "? Rename it, or give it a name further from the job's columns to carry it to the results unchanged"
}

// NearMisses returns a *NearMissError for every unknown header cell of m
// that is within a small edit distance of a declared column's name or
// alias: none for names under six letters (site is not suite), one up to eight, two from nine (a swap of
// two neighbouring letters counts as one edit).
func (m *Mapping) NearMisses() []*NearMissError {
	var out []*NearMissError
	for _, hi := range m.unknown {
		h := headerKey(m.header[hi])
		if h == "" {
			continue
		}
		best, bestCol, bestSpelling := -1, "", ""
		for _, c := range m.columns {
			for _, sp := range append([]string{c.Name}, c.Aliases...) {
				k := headerKey(sp)
				if k == "" {
					continue
				}
				d := editDistance(h, k)
				if d <= allowedEdits(k) && (best < 0 || d < best) {
					best, bestCol, bestSpelling = d, c.Name, sp
				}
			}
		}
		if best > 0 {
			out = append(out, &NearMissError{Header: m.header[hi], Column: bestCol, Known: bestSpelling})
		}
	}
	return out
}

// UnknownColumns returns the header cells that match no declared column.
func (m *Mapping) UnknownColumns() []string {
	out := make([]string, len(m.unknown))
	for i, hi := range m.unknown {
		out[i] = m.header[hi]
	}
	return out
}

func allowedEdits(key string) int {
	switch n := len(key); {
	case n < 6:
		return 0 // site and suite are different words
	case n < 9:
		return 1
	}
	return 2
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbouring runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if strings.EqualFold(a, b) {
			return 0
		}
		return 1 << 10 // not a misspelling of a column name
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Suggest returns the candidate closest to s within a small edit distance,
// or "" when none is close: for "did you mean" on names a user typed.
func Suggest(s string, candidates []string) string {
	best, bestD := "", -1
	k := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(k, strings.ToLower(c))
		if d <= max(allowedEdits(c), 1) && d > 0 && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}
