package pipeline

// Row outcomes (DESIGN.md rule 5). Every manifest row ends in exactly one.
const (
	StatusOK       = "ok"       // the API did what the row asked
	StatusExcluded = "excluded" // the API refused the number, with its reason
	StatusInvalid  = "invalid"  // the row failed validation; never sent
	StatusFailed   = "failed"   // the request failed; safe to run again
	StatusPending  = "pending"  // the order is not final yet: iqbulk follow
	StatusSkipped  = "skipped"  // dry run, or a duplicate in the manifest
)

// Statuses lists the outcomes in the order summaries print them.
func Statuses() []string {
	return []string{StatusOK, StatusExcluded, StatusInvalid, StatusFailed, StatusPending, StatusSkipped}
}

// NeedsRerun reports whether a row with this status belongs in failed.csv, the
// manifest of rows to fix and run again.
func NeedsRerun(status string) bool {
	switch status {
	case StatusExcluded, StatusInvalid, StatusFailed, "":
		return true
	}
	return false
}
