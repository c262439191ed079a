package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// Column is one manifest column a job declares: its canonical name, the
// aliases accepted in headers, whether it is required and an example value
// for `iqbulk template`.
type Column struct {
	readers.Column
	Example string
}

// Spec describes a job kind: what `iqbulk jobs` lists and what the pipeline
// needs to know before it sends anything.
type Spec struct {
	Name        string   // e.g. "tn-order"
	Summary     string   // one line
	Operations  []string // API operations used, named as in the guide
	Columns     []Column // manifest columns
	Outputs     []string // job-specific result columns, after the common ones
	Destructive bool     // needs --yes outside the sandbox
	BatchSize   int      // at most this many rows per request (the guide's 100, or 1)
}

// Idempotent reports whether a batch of this kind may simply be sent again:
// every state-changing operation it uses is idempotent in the client's
// operation table, the one place that says so (DESIGN.md rule 3). A kind
// that is not must implement Reconciler.
func (s Spec) Idempotent() bool {
	for _, op := range s.Operations {
		if inteliquent.IsStateChanging(op) && !inteliquent.IsIdempotent(op) {
			return false
		}
	}
	return true
}

// Row is a manifest row as a job sees it when parsing: the declared columns by
// canonical name, and where the row came from.
type Row struct {
	Line int
	Get  func(column string) string
	// Dir is the manifest's folder: a relative file path in a row
	// (ticket-document's file) is read from there. "" is the current
	// directory.
	Dir string
}

// Parsed is what Parse makes of a valid row.
type Parsed struct {
	Key    string            // the row's identity (normalised TN): duplicates are skipped
	Group  string            // rows of one batch share a group ("" = one group)
	Fields map[string]string // normalised values the job needs to build requests
}

// Batch is a group of rows sent in one request (or reconciled together).
type Batch struct {
	ID                     int64
	CustomerOrderReference string
	Rows                   []record.Row
	// FirstSentAt is when the batch was first sent (zero before that):
	// reconciliation compares the account's changes against it.
	FirstSentAt time.Time
}

// Keys returns the batch's row keys in row order.
func (b *Batch) Keys() []string {
	keys := make([]string, len(b.Rows))
	for i, r := range b.Rows {
		keys[i] = r.Key
	}
	return keys
}

// Result is what a job makes of an answer (or of a reconciliation): one
// outcome per row, matched by key, never by position.
type Result struct {
	OrderID  string
	Rows     []record.RowOutcome
	Excluded []record.Excluded
	Orders   []record.Order // orders to follow up until final
}

// Job is one job kind. Build, Send and Read are split so the pipeline can
// commit the request's hash (the intent) between building and sending.
type Job interface {
	Spec() Spec
	// Parse validates one row. Every problem is returned, each naming its column.
	Parse(r Row) (Parsed, []error)
	// Build makes the API request for a batch. It must be deterministic.
	Build(b *Batch) (any, error)
	// Send sends a request built by Build.
	Send(ctx context.Context, api *inteliquent.Client, req any) (any, error)
	// Read turns the answer into one outcome per row of the batch.
	Read(b *Batch, resp any) Result
}

// Reconciler is implemented by every job that is not idempotent: it asks the
// API what became of a batch whose answer never arrived. It returns the rows
// it could decide and the sequence numbers of rows the API never received,
// which the pipeline may send again.
type Reconciler interface {
	Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (res Result, resend []int, err error)
}

// Emitter is implemented by read-only kinds whose answers seed another
// kind's manifest (csr -> port-in): `iqbulk run KIND --emit-manifest FILE`
// writes one row of the target's columns per row Emit accepts.
type Emitter interface {
	EmitsFor() string
	Emit(r record.Row, target []Column) (cells []string, ok bool)
}

// Registry holds the job kinds by name. It is built by New and never changed
// afterwards.
type Registry struct {
	byName map[string]Job
	names  []string
}

// NewRegistry returns a registry of the given jobs.
func NewRegistry(js ...Job) (*Registry, error) {
	r := &Registry{byName: map[string]Job{}}
	for _, j := range js {
		s := j.Spec()
		if _, dup := r.byName[s.Name]; dup {
			return nil, fmt.Errorf("jobs: %q registered twice", s.Name)
		}
		if !s.Idempotent() {
			if _, ok := j.(Reconciler); !ok {
				return nil, fmt.Errorf("jobs: %q is not idempotent and has no Reconcile", s.Name)
			}
		}
		if s.BatchSize < 1 || s.BatchSize > MaxBatch {
			return nil, fmt.Errorf("jobs: %q batch size %d outside 1..%d", s.Name, s.BatchSize, MaxBatch)
		}
		r.byName[s.Name] = j
		r.names = append(r.names, s.Name)
	}
	sort.Strings(r.names)
	return r, nil
}

// Default returns the registry of every job kind iqbulk ships.
func Default() *Registry {
	r, err := NewRegistry(all()...)
	if err != nil {
		panic(err) // a programming error, caught by the tests
	}
	return r
}

// Lookup finds a job kind by name.
func (r *Registry) Lookup(name string) (Job, error) {
	j, ok := r.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown job %q (known: %s)", name, strings.Join(r.names, ", "))
	}
	return j, nil
}

// All returns the job kinds sorted by name.
func (r *Registry) All() []Job {
	out := make([]Job, len(r.names))
	for i, n := range r.names {
		out[i] = r.byName[n]
	}
	return out
}

// MaxBatch is the guide's immediate-validation boundary: "Immediate validation
// is performed for requests with 100 or fewer numbers" (Order Validation).
const MaxBatch = 100

// ReaderColumns returns the columns in the form the header mapper takes.
func (s Spec) ReaderColumns() []readers.Column {
	out := make([]readers.Column, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Column
	}
	return out
}

// OptionSpec is a job-specific run option, offered by `iqbulk run` as a
// flag (--NAME) and recorded with the run so a resume uses it too.
type OptionSpec struct {
	Name string // flag name, e.g. "validate-first"
	Help string
	Bool bool // a flag without a value ("true" when given)
}

// Optioner is implemented by job kinds that take options (e911:
// validate-first, accept-corrections). WithOptions returns a configured copy;
// the job value itself never changes.
type Optioner interface {
	Options() []OptionSpec
	WithOptions(opts map[string]string) (Job, error)
}

// Configure returns j with opts applied. No options returns j as is; an
// option j does not declare (or options for a job without any) is an error.
func Configure(j Job, opts map[string]string) (Job, error) {
	if len(opts) == 0 {
		return j, nil
	}
	o, ok := j.(Optioner)
	known := map[string]OptionSpec{}
	if ok {
		for _, s := range o.Options() {
			known[s.Name] = s
		}
	}
	for name, v := range opts {
		s, found := known[name]
		if !found {
			return nil, fmt.Errorf("%s does not take the option --%s", j.Spec().Name, name)
		}
		if s.Bool {
			switch strings.ToLower(v) {
			case "", "true", "false", "y", "n", "yes", "no", "1", "0":
			default:
				return nil, fmt.Errorf("--%s: %q is not true or false", name, v)
			}
		}
	}
	return o.WithOptions(opts)
}

// OptionTrue reads a boolean option ("true", "y", "yes", "1").
func OptionTrue(opts map[string]string, name string) bool {
	switch strings.ToLower(strings.TrimSpace(opts[name])) {
	case "true", "y", "yes", "1":
		return true
	}
	return false
}
