package writers

import "strings"

// isTrigger reports whether a cell beginning with b could be taken for a
// formula by a spreadsheet: '=', '+', '-', '@', tab or carriage return
// (OWASP, CSV injection).
func isTrigger(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// needsQuote reports whether cell, after any leading single quotes, begins
// with a trigger character. Cells that already begin with quotes are
// included so that Unneutralize can undo Neutralize exactly.
func needsQuote(cell string) bool {
	rest := strings.TrimLeft(cell, "'")
	return rest != "" && isTrigger(rest[0])
}

// Neutralize guards a spreadsheet cell against formula injection: a cell
// beginning with '=', '+', '-', '@', a tab or a carriage return (after any
// single quotes) gets a single quote in front; any other cell is returned
// unchanged. "+13125550100" becomes "'+13125550100" and "-5" becomes "'-5":
// harmless values that look like formulas are quoted too, by design.
// It is the one place this rule lives; CSV and XLSX tables apply it to every
// cell. Apply it once: it is not idempotent, so that [Unneutralize] can
// restore any value exactly.
func Neutralize(cell string) string {
	if !needsQuote(cell) {
		return cell
	}
	return "'" + cell
}

// Unneutralize undoes [Neutralize]: it removes the single quote that
// Neutralize put in front of a cell, and returns any other cell unchanged.
// Unneutralize(Neutralize(s)) == s for every s. Readers that take a
// results or failed-rows file back in as a manifest call it on every cell.
func Unneutralize(cell string) string {
	if len(cell) < 2 || cell[0] != '\'' || !needsQuote(cell[1:]) {
		return cell
	}
	return cell[1:]
}
