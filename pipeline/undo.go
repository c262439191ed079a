package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// UndoOptions say what `iqbulk undo` restores and where it writes it.
type UndoOptions struct {
	// Check reads every number again before anything is planned and
	// refuses when one holds neither what the run set nor what it had
	// before (changed again since); it also decides the rows whose outcome
	// the run does not know (in doubt, not followed, killed mid-batch).
	Check bool
	// Rows limits the undo to these numbers (--rows); nil: every row.
	Rows map[string]bool
	// Concurrency is how many check reads are in flight at once (0: the
	// run's own concurrency).
	Concurrency int
	// Out is the manifest to write (.csv or .xlsx). When the undo needs
	// more than one kind (e911 and e911-remove), each kind's manifest is
	// Out with ".KIND" before the extension.
	Out string
}

// UndoPart is one manifest of an undo: the kind to run and its rows.
type UndoPart struct {
	Kind string
	Path string
	Rows int
}

// UndoConflict is a row whose number changed again since the run.
type UndoConflict struct {
	Line int
	Key  string
	Why  string
}

// UndoPlan is what `iqbulk undo` found and wrote.
type UndoPlan struct {
	Run       checkpoints.Run
	Parts     []UndoPart
	Restored  int            // rows written to the manifests
	Skipped   map[string]int // rows left alone, by reason
	Partly    map[string]int // rows written that cannot put back all the run changed, by reason
	Cannot    map[string]int // rows whose change cannot be taken back (they keep the run's value), by reason
	Conflicts []UndoConflict // the first maxConflicts of them
	Conflict  int            // how many rows changed again since
}

// maxConflicts bounds the conflicts an undo lists (it counts them all).
const maxConflicts = 50

// ErrChangedSince: numbers changed again since the run; nothing is written.
var ErrChangedSince = errors.New("numbers changed again since the run")

// CannotUndoError: the run's kind cannot be undone (or not yet).
type CannotUndoError struct{ Kind, Why string }

func (e *CannotUndoError) Error() string { return e.Kind + " cannot be undone: " + e.Why }

// Undo reasons for rows left alone.
const (
	skipNotApplied = "not applied by the run (failed, excluded, invalid, skipped or never sent)"
	skipUnchanged  = "the run set the value it already had"
	skipAsBefore   = "already as before the run"
	skipNoSnapshot = "no snapshot (run with --no-snapshot, or by an iqbulk without undo)"
	skipNotFound   = "the number was not on the account when the run read it"
	skipNotAsked   = "not in --rows"
	skipUnknown    = "fate unknown (in doubt, pending or not sent): run iqbulk resume (or follow) on the run first"
)

// undoable says whether a run of job made with opts can be undone: nil, or
// a *CannotUndoError saying why not. PlanUndo and the run's report ask it.
func undoable(job jobs.Job, opts Options) error {
	kind := job.Spec().Name
	if ir, ok := job.(jobs.Irreversible); ok {
		return &CannotUndoError{Kind: kind, Why: ir.Irreversible()}
	}
	if len(jobs.StateChanging(job.Spec())) == 0 {
		return &CannotUndoError{Kind: kind, Why: "it only reads (" + strings.Join(job.Spec().Operations, ", ") + "): it changed nothing"}
	}
	if _, ok := job.(jobs.Snapshotter); !ok {
		return &CannotUndoError{Kind: kind, Why: "iqbulk does not snapshot what it changes yet, so there is nothing to restore it to"}
	}
	if opts.DryRun {
		return &CannotUndoError{Kind: kind, Why: "a dry run changed nothing"}
	}
	if opts.NoSnapshot {
		return &CannotUndoError{Kind: kind, Why: "the run was made with --no-snapshot: what the numbers held before was not kept"}
	}
	return nil
}

// PlanUndo writes the manifests that put back every row the run in dir
// changed: its ok rows, and (with Check) the rows whose fate it does not
// know that a fresh read shows changed. It holds the run's lock while it
// reads, so it never plans against a run that is still working.
func PlanUndo(ctx context.Context, api *inteliquent.Client, reg *jobs.Registry, dir string, o UndoOptions) (*UndoPlan, error) {
	st, run, err := openRun(ctx, dir, true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return planUndo(ctx, api, reg, st, run, o)
}

// planUndo plans the undo of run in st; with o.Out empty (and no Check) it
// only counts what an undo would do (the run's report says it).
func planUndo(ctx context.Context, api *inteliquent.Client, reg *jobs.Registry, st *checkpoints.Store, run checkpoints.Run, o UndoOptions) (*UndoPlan, error) {
	job, err := reg.Lookup(run.Job)
	if err != nil {
		return nil, err
	}
	var opts Options
	if err := jsonUnmarshalOptions(run.Options, &opts); err != nil {
		return nil, err
	}
	if err := undoable(job, opts); err != nil {
		return nil, err
	}
	snap := job.(jobs.Snapshotter)

	plan := &UndoPlan{Run: run, Skipped: map[string]int{}, Partly: map[string]int{}, Cannot: map[string]int{}}
	var out *undoOut
	if o.Out != "" {
		out = newUndoOut(reg, o.Out)
		defer out.abort()
	}

	snaps, stop := iter.Pull2(st.Snapshots(ctx))
	defer stop()
	next, nextErr, more := snaps()
	// The check reads up to conc chunks at once (the client's rate limit
	// is shared); the chunks are decided and written in row order.
	conc := o.Concurrency
	if conc < 1 {
		conc = max(opts.Concurrency, 1)
	}
	// Up to 2×conc chunks are queued so that conc reads stay in flight
	// while the oldest is decided and the next rows are scanned.
	sem := make(chan struct{}, conc)
	rctx, cancel := context.WithCancel(ctx)
	var inflight []*undoChunk
	defer func() {
		cancel()
		for _, c := range inflight {
			<-c.done
		}
	}()
	consume := func() error {
		c := inflight[0]
		inflight = inflight[1:]
		<-c.done
		if c.err != nil {
			return fmt.Errorf("check: %w", c.err)
		}
		return planChunk(c.cands, c.current, snap, o, plan, out)
	}
	var chunk []undoCandidate
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		c := &undoChunk{cands: chunk, done: make(chan struct{})}
		chunk = nil
		inflight = append(inflight, c)
		go c.read(rctx, api, snap, o.Check, sem)
		if len(inflight) >= 2*conc {
			return consume()
		}
		return nil
	}
	for row, err := range st.Rows(ctx) {
		if err != nil {
			return nil, err
		}
		for more && nextErr == nil && next.Seq < row.Seq {
			next, nextErr, more = snaps()
		}
		if nextErr != nil {
			return nil, nextErr
		}
		if row.Key == "" {
			continue // invalid: never sent
		}
		if o.Rows != nil && !o.Rows[row.Key] {
			plan.Skipped[skipNotAsked]++
			continue
		}
		c := undoCandidate{row: row}
		if more && next.Seq == row.Seq {
			sn := next
			c.snap = &sn
		} else if p, presumed := job.(jobs.Presumer); presumed {
			v := p.Presume(&jobs.Batch{Rows: []record.Row{row}})
			c.snap = &checkpoints.Snapshot{Seq: row.Seq, Batch: row.Batch, Key: row.Key, Found: true, Values: v[row.Key]}
		}
		switch row.Status {
		case record.StatusOK:
			c.applied = true
		case "", record.StatusInDoubt, record.StatusPending:
			if _, presumed := job.(jobs.Presumer); presumed {
				plan.Skipped[skipUnknown]++
				continue
			}
			// Fate unknown: an idempotent batch killed mid-send is
			// still "planned", so the snapshot, not the batch state,
			// says whether it may have been sent.
			if c.snap == nil {
				plan.Skipped[skipNotApplied]++
				continue
			}
		default:
			plan.Skipped[skipNotApplied]++
			continue
		}
		chunk = append(chunk, c)
		if len(chunk) == jobs.MaxBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for len(inflight) > 0 {
		if err := consume(); err != nil {
			return nil, err
		}
	}
	if plan.Conflict > 0 {
		return plan, fmt.Errorf("%w: %d rows (undo refuses them; --rows FILE undoes the others, --check=false restores anyway)", ErrChangedSince, plan.Conflict)
	}
	if out == nil {
		return plan, nil
	}
	parts, err := out.close()
	if err != nil {
		return nil, err
	}
	plan.Parts = parts
	return plan, nil
}

type undoCandidate struct {
	row     record.Row
	snap    *checkpoints.Snapshot
	applied bool // the row is ok: the API said it did it
}

// undoChunk is up to 100 candidates and, with --check, their fresh read.
type undoChunk struct {
	cands   []undoCandidate
	current map[string]jobs.Values
	err     error
	done    chan struct{}
}

// read takes the chunk's fresh read (with check) and closes done.
func (c *undoChunk) read(ctx context.Context, api *inteliquent.Client, s jobs.Snapshotter, check bool, sem chan struct{}) {
	defer close(c.done)
	if !check {
		return
	}
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		c.err = ctx.Err()
		return
	}
	b := &jobs.Batch{}
	for _, cand := range c.cands {
		if cand.snap != nil {
			b.Rows = append(b.Rows, cand.row)
		}
	}
	if len(b.Rows) > 0 {
		c.current, c.err = s.Snapshot(ctx, api, b)
	}
}

// planChunk decides up to 100 candidates; current is their fresh read
// (with Check).
func planChunk(chunk []undoCandidate, current map[string]jobs.Values, s jobs.Snapshotter, o UndoOptions, plan *UndoPlan, out *undoOut) error {
	for _, c := range chunk {
		if c.snap == nil {
			plan.Skipped[skipNoSnapshot]++
			continue
		}
		if !c.snap.Found {
			plan.Skipped[skipNotFound]++
			continue
		}
		before, set := c.snap.Values, s.Applied(c.row, c.snap.Values)
		var restored jobs.Values // what a partial restore leaves
		if pr, ok := s.(jobs.PartialRestorer); ok {
			restored = pr.Restored(c.row, before)
		}
		if jobs.SameValues(before, set) {
			plan.Skipped[skipUnchanged]++
			continue
		}
		if o.Check {
			now, found := current[c.row.Key]
			switch {
			case !found:
				plan.conflict(c.row, "no longer on the account")
				continue
			case jobs.SameValues(now, set):
				// Changed by the run and not since: restore.
			case jobs.SameValues(now, before), restored != nil && jobs.SameValues(now, restored):
				if c.applied {
					plan.Skipped[skipAsBefore]++
				} else {
					plan.Skipped[skipNotApplied]++
				}
				continue
			default:
				plan.conflict(c.row, fmt.Sprintf("now %s; the run set %s", showValues(now), showValues(set)))
				continue
			}
		}
		u := s.Restore(c.row, before)
		switch {
		case u.Cannot != "":
			plan.Cannot[u.Cannot]++
			continue
		case u.Skip != "":
			plan.Skipped[u.Skip]++
			continue
		}
		if out != nil {
			if err := out.write(u, 0); err != nil {
				return err
			}
			for _, then := range u.Then {
				if err := out.write(then, 1); err != nil {
					return err
				}
			}
		}
		plan.Restored++
		for _, why := range u.Partly {
			plan.Partly[why]++
		}
	}
	return nil
}

func (p *UndoPlan) conflict(r record.Row, why string) {
	p.Conflict++
	if len(p.Conflicts) < maxConflicts {
		p.Conflicts = append(p.Conflicts, UndoConflict{Line: r.Line, Key: r.Key, Why: why})
	}
}

func showValues(v jobs.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v[k]))
	}
	return strings.Join(parts, " ")
}

// undoOut writes one manifest per kind, each in the kind's own columns.
type undoOut struct {
	reg    *jobs.Registry
	out    string
	format writers.Format
	parts  map[string]*undoTable
}

type undoTable struct {
	rank int // 0: restore rows; 1: rows that complete them, run after
	path string
	cols []string
	t    writers.Table
	rows int
	cell []string
}

func newUndoOut(reg *jobs.Registry, out string) *undoOut {
	return &undoOut{reg: reg, out: out, parts: map[string]*undoTable{}}
}

// partPath is out with ".KIND" before its extension.
func partPath(out, kind string) string {
	ext := filepath.Ext(out)
	return strings.TrimSuffix(out, ext) + "." + kind + ext
}

func (u *undoOut) write(r jobs.UndoRow, rank int) error {
	p, ok := u.parts[r.Kind]
	if !ok {
		job, err := u.reg.Lookup(r.Kind)
		if err != nil {
			return err
		}
		if u.format == "" {
			if u.format, err = writers.FormatFromPath(u.out); err != nil {
				return err
			}
		}
		p = &undoTable{path: partPath(u.out, r.Kind)}
		for _, c := range job.Spec().Columns {
			p.cols = append(p.cols, c.Name)
		}
		p.cell = make([]string, len(p.cols))
		if p.t, err = writers.Create(p.path, u.format, writers.WithSheet(r.Kind)); err != nil {
			return err
		}
		if err := p.t.WriteHeader(p.cols); err != nil {
			return err
		}
		u.parts[r.Kind] = p
	}
	p.rank = max(p.rank, rank)
	for i, c := range p.cols {
		p.cell[i] = r.Cells[c]
	}
	p.rows++
	return p.t.WriteRow(p.cell)
}

// close finishes every manifest; a single one takes the name asked for.
func (u *undoOut) close() ([]UndoPart, error) {
	kinds := make([]string, 0, len(u.parts))
	for k := range u.parts {
		kinds = append(kinds, k)
	}
	// By kind, the rows that complete others last: the parts run in this
	// order.
	sort.Slice(kinds, func(i, j int) bool {
		a, b := u.parts[kinds[i]], u.parts[kinds[j]]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return kinds[i] < kinds[j]
	})
	var parts []UndoPart
	for _, k := range kinds {
		p := u.parts[k]
		if err := p.t.Close(); err != nil {
			return nil, err
		}
		path := p.path
		if len(kinds) == 1 {
			if err := os.Rename(p.path, u.out); err != nil {
				return nil, err
			}
			path = u.out
		}
		parts = append(parts, UndoPart{Kind: k, Path: path, Rows: p.rows})
	}
	u.parts = map[string]*undoTable{}
	return parts, nil
}

// abort drops manifests not closed (an undo refused or failed half-way).
func (u *undoOut) abort() {
	for _, p := range u.parts {
		if a, ok := p.t.(writers.Aborter); ok {
			_ = a.Abort()
		}
	}
}

func jsonUnmarshalOptions(raw []byte, o *Options) error {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, o); err != nil {
		return fmt.Errorf("run options: %w", err)
	}
	return nil
}
