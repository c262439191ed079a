package checkpoints

import (
	"encoding/json"
	"errors"
	"time"
)

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
	BatchPlanned = "planned"
	BatchSent    = "sent"
	BatchDone    = "done"
	BatchFailed  = "failed"
	BatchInDoubt = "in_doubt"
)

// Row outcome statuses ("" means not decided yet).
const (
	StatusOK       = "ok"
	StatusExcluded = "excluded"
	StatusInvalid  = "invalid"
	StatusFailed   = "failed"
	StatusPending  = "pending"
	StatusSkipped  = "skipped"
)

var (
	// ErrNoRun is returned when the store holds no run yet.
	ErrNoRun = errors.New("checkpoints: no run recorded")
	// ErrRunExists is returned by CreateRun when a run is already recorded.
	ErrRunExists = errors.New("checkpoints: a run is already recorded")
	// ErrNotFound is returned when a batch, row or order does not exist.
	ErrNotFound = errors.New("checkpoints: not found")
	// ErrSchemaTooNew is returned by Open for a state.db written by a newer
	// iqbulk.
	ErrSchemaTooNew = errors.New("checkpoints: state.db was written by a newer iqbulk")
	// ErrInvalid is returned for arguments the store refuses (unknown state,
	// Seq < 1, malformed options JSON...).
	ErrInvalid = errors.New("checkpoints: invalid argument")
)

// Run is the metadata of one run; a store holds exactly one.
type Run struct {
	ID           string          // e.g. "tn-order-20261127T110000Z"
	Job          string          // job kind
	Options      json.RawMessage // run options as JSON (never credentials)
	ManifestPath string
	ManifestHash string   // sha256 hex of the manifest bytes
	Header       []string // the manifest's header row
	Endpoint     string   // "sandbox", "production" or a URL
	State        string   // RunPlanning, RunPlanned, RunRunning, RunInterrupted, RunDone
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Outcome is what happened to one row.
type Outcome struct {
	Status  string // "ok","excluded","invalid","failed","pending","skipped" or "" (not decided yet)
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
	Values []string          // original cells aligned to Run.Header (stored length-prefixed: any bytes round-trip)
	Fields map[string]string // the job's parsed, normalised fields
	Batch  int64             // 0 = not in a batch
	Outcome
}

// Batch is one API request's worth of rows.
type Batch struct {
	ID                     int64 // 1..N in plan order (assigned by the caller)
	GroupKey               string
	State                  string // BatchPlanned, BatchSent, BatchDone, BatchFailed, BatchInDoubt
	CustomerOrderReference string
	RequestHash            string
	Attempts               int
	OrderID                string
	Error                  string
	Rows                   int       // number of rows in the batch
	SentAt                 time.Time // when the batch was FIRST sent (zero before)
	DoneAt                 time.Time
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

func validRunState(s string) bool {
	switch s {
	case RunPlanning, RunPlanned, RunRunning, RunInterrupted, RunDone:
		return true
	}
	return false
}

func validBatchState(s string) bool {
	switch s {
	case BatchPlanned, BatchSent, BatchDone, BatchFailed, BatchInDoubt:
		return true
	}
	return false
}
