package checkpoints

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/iqbulk/iqbulk/record"
)

// The run's domain types and words live in package record; the store keeps
// them and owns none of them. These aliases let the store's signatures read
// naturally.
type (
	Outcome      = record.Outcome
	Row          = record.Row
	RowOutcome   = record.RowOutcome
	Order        = record.Order
	Excluded     = record.Excluded
	HistoryEntry = record.HistoryEntry
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
	State        string   // record.RunPlanning, record.RunPlanned, record.RunRunning, record.RunInterrupted, record.RunDone
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Batch is one API request's worth of rows.
type Batch struct {
	ID                     int64 // 1..N in plan order (assigned by the caller)
	GroupKey               string
	State                  string // record.BatchPlanned, record.BatchSent, record.BatchDone, record.BatchFailed, record.BatchInDoubt
	CustomerOrderReference string
	RequestHash            string
	Attempts               int
	OrderID                string
	Error                  string
	Rows                   int       // number of rows in the batch
	SentAt                 time.Time // when the batch was FIRST sent (zero before)
	LastSentAt             time.Time // when it was last sent: the settle window runs from here
	DoneAt                 time.Time
}

func validRunState(s string) bool {
	switch s {
	case record.RunPlanning, record.RunPlanned, record.RunRunning, record.RunInterrupted, record.RunDone:
		return true
	}
	return false
}

func validBatchState(s string) bool {
	for _, v := range record.BatchStates() {
		if s == v {
			return true
		}
	}
	return false
}
