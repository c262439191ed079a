// Package record defines what a run records about its work: the outcome of
// every manifest row and the words for it, the states of batches and runs,
// orders to follow and numbers the API excluded. It is the one owner of these
// concepts (DESIGN.md rule 5): jobs, the pipeline, exports, writers and the
// checkpoint store all use these definitions and keep no copy of them.
package record

import "time"

// Row outcome statuses (DESIGN.md rule 5). Every manifest row ends in exactly
// one; "" means not decided yet and never appears in any output.
const (
	// StatusOK: the API did what the row asked; its answer (or a later read)
	// says so for that number.
	StatusOK = "ok"
	// StatusExcluded: the API refused the number, with its reason.
	StatusExcluded = "excluded"
	// StatusInvalid: the row failed validation and was never sent.
	StatusInvalid = "invalid"
	// StatusFailed: proven not applied; safe to send again (failed.csv).
	StatusFailed = "failed"
	// StatusInDoubt: sent, but whether the API applied it is unknown. It is
	// reconciled against the API by `iqbulk resume`; never sent blindly.
	StatusInDoubt = "in-doubt"
	// StatusPending: accepted; the order is not final yet (`iqbulk follow`).
	StatusPending = "pending"
	// StatusSkipped: a dry run, or a duplicate in the manifest.
	StatusSkipped = "skipped"
)

// Statuses lists the outcomes in the order summaries print them.
func Statuses() []string {
	return []string{StatusOK, StatusExcluded, StatusInvalid, StatusFailed, StatusInDoubt, StatusPending, StatusSkipped}
}

// Final reports whether a row with this status has its last outcome for
// the process that runs it: decided, and neither in doubt (a
// reconciliation decides it) nor pending (a follow-up does). The results
// written while a run goes on stop at the first row that is not final.
func Final(status string) bool {
	return status != "" && status != StatusInDoubt && status != StatusPending
}

// ValidStatus reports whether s is an outcome status or "" (undecided).
func ValidStatus(s string) bool {
	if s == "" {
		return true
	}
	for _, v := range Statuses() {
		if s == v {
			return true
		}
	}
	return false
}

// Codes the engine gives rows that the run still owns.
const (
	// CodeNotSent marks a row whose request was never applied because it
	// was not sent yet (the run was interrupted) or was refused for now
	// (HTTP 429, "try again", connection refused): `iqbulk resume` sends it.
	CodeNotSent = "not-sent"
	// CodeNoAnswer marks a row whose request was sent without a usable
	// answer: `iqbulk resume` reconciles it.
	CodeNoAnswer = "no-answer"
)

// Undecided is how a row without a recorded outcome is shown, from the
// state of its batch (and the batch's last error): in a batch that was sent
// it is in doubt; otherwise it was never applied and the run's resume will
// send it. It is the one definition shared by results, status and summary,
// so no output ever shows a blank or any word but the seven.
func Undecided(batchState, batchError string) Outcome {
	switch batchState {
	case BatchSent, BatchInDoubt:
		msg := "sent, no usable answer; run iqbulk resume RUN_DIR to reconcile (never send it again by hand)"
		if batchError != "" {
			msg = batchError + "; run iqbulk resume RUN_DIR to reconcile (never send it again by hand)"
		}
		return Outcome{Status: StatusInDoubt, Code: CodeNoAnswer, Message: msg}
	}
	msg := "not sent yet: the run was interrupted; iqbulk resume RUN_DIR sends it"
	if batchError != "" {
		msg = batchError + "; iqbulk resume RUN_DIR sends it"
	}
	return Outcome{Status: StatusFailed, Code: CodeNotSent, Message: msg}
}

// Rerunnable reports whether a row with this outcome belongs in failed.csv,
// the manifest of rows that are safe to fix and send again in a new run:
// rows the API refused, rows that failed validation and rows proven not
// applied. In-doubt rows never are (their fate is unknown: `iqbulk resume`
// reconciles them), and neither are rows the run will still send itself
// (CodeNotSent), which a new run could otherwise send a second time.
func Rerunnable(o Outcome) bool {
	switch o.Status {
	case StatusExcluded, StatusInvalid:
		return true
	case StatusFailed:
		return o.Code != CodeNotSent
	}
	return false
}

// Advice is what a user should do about rows with this status, for the
// README, --help and summaries.
func Advice(status string) string {
	switch status {
	case StatusOK:
		return "done: the API's answer or a later read says so for the number"
	case StatusExcluded:
		return "the API refused the number (reason in message); fix the row in failed.csv and run it again"
	case StatusInvalid:
		return "the row failed validation and was never sent; fix it in failed.csv and run it again"
	case StatusFailed:
		return "proven not applied: in failed.csv, safe to run again (or `iqbulk resume RUN_DIR --retry-failed`); with code not-sent the run has not sent it yet and `iqbulk resume RUN_DIR` will"
	case StatusInDoubt:
		return "sent, answer unknown; run `iqbulk resume RUN_DIR` to reconcile; never run these rows again by hand"
	case StatusPending:
		return "accepted, order not final yet; run `iqbulk follow RUN_DIR` later"
	case StatusSkipped:
		return "not sent: a dry run, or a duplicate of an earlier row"
	}
	return ""
}

// Run states.
const (
	RunPlanning    = "planning"
	RunPlanned     = "planned"
	RunRunning     = "running"
	RunInterrupted = "interrupted"
	RunDone        = "done"
)

// Batch states.
const (
	// BatchOpen: still being filled while the manifest is planned (the
	// planner commits rows in small steps while earlier batches are
	// already sent); never sent until it is full or planning ends, when
	// it becomes planned.
	BatchOpen    = "open"
	BatchPlanned = "planned"  // not sent yet
	BatchSent    = "sent"     // intent committed, outcome not (yet) recorded
	BatchDone    = "done"     // every row decided
	BatchFailed  = "failed"   // proven not applied
	BatchInDoubt = "in_doubt" // sent, answer unknown: reconcile after the settle window
)

// BatchStates lists the batch states in the order status prints them.
func BatchStates() []string {
	return []string{BatchOpen, BatchPlanned, BatchSent, BatchDone, BatchFailed, BatchInDoubt}
}

// Outcome is what happened to one row.
type Outcome struct {
	Status  string // one of the Status constants, or "" (not decided yet)
	Code    string
	Message string
	OrderID string
	Extra   map[string]string // job-specific outcome columns
}

// Row is one data row of the manifest.
type Row struct {
	Seq    int               // 1-based position among data rows in manifest order (primary key)
	Line   int               // source line (CSV) or sheet row (XLSX)
	Key    string            // the row's key (normalised TN etc.), "" when the row is invalid
	Values []string          // original cells aligned to the run's header
	Fields map[string]string // the job's parsed, normalised fields
	Batch  int64             // 0 = not in a batch
	Outcome
}

// RowOutcome sets the outcome of the row with the given Seq.
type RowOutcome struct {
	Seq int
	Outcome
}

// Order is an order the API returned, followed until final.
type Order struct {
	OrderID                string
	CustomerOrderReference string
	Batch                  int64
	Status                 string
	Final                  bool
	Polls                  int
	CheckedAt              time.Time
	Detail                 string // free JSON the job keeps
}

// Excluded is one number (or feature, or E911 record) the API excluded from
// an order.
type Excluded struct {
	Kind                   string // e.g. "tn", "feature", "e911"
	OrderID                string
	CustomerOrderReference string
	TN                     string
	Reason                 string
	InsertDate             string
	DisplayName            string // excludedTnList's displayName: who placed the order
	E911                   map[string]string
}

// HistoryEntry is one step in the life of a row (a status seen while
// following its order, a retry...).
type HistoryEntry struct {
	Seq     int
	At      time.Time
	Status  string
	Message string
}
