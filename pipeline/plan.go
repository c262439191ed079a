package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// ManifestError is a problem with the manifest as a whole (a missing column,
// an unreadable file): nothing is sent, and the command exits 2.
type ManifestError struct{ Err error }

func (e *ManifestError) Error() string { return "manifest: " + e.Err.Error() }
func (e *ManifestError) Unwrap() error { return e.Err }

// HashFile returns the SHA-256 of a file, hex encoded. A resumed run refuses a
// manifest whose hash changed.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &ManifestError{err}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", &ManifestError{err}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// countingHash hashes the bytes a reader reads from a manifest (always a
// prefix of the file) and counts them; finish hashes the rest of the file,
// if the reader stopped short of its end, and returns HashFile's answer.
type countingHash struct {
	h hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}

func (c *countingHash) finish(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &ManifestError{err}
	}
	defer f.Close()
	if _, err := f.Seek(c.n, io.SeekStart); err != nil {
		return "", &ManifestError{err}
	}
	if _, err := io.Copy(c.h, f); err != nil {
		return "", &ManifestError{err}
	}
	return hex.EncodeToString(c.h.Sum(nil)), nil
}

// OpenManifest opens a manifest and maps its header to the job's columns;
// encoding is "" (UTF-8, or UTF-16 with a byte order mark) or one that
// readers.Open takes.
func OpenManifest(path, sheet string, spec jobs.Spec, encoding string) (readers.Reader, *readers.Mapping, error) {
	return openManifest(path, sheet, spec, encoding, nil)
}

// openManifest is OpenManifest; tee (if not nil) sees the bytes a CSV
// reader reads.
func openManifest(path, sheet string, spec jobs.Spec, encoding string, tee io.Writer) (readers.Reader, *readers.Mapping, error) {
	opts := readers.Options{Sheet: sheet, Encoding: encoding}
	if tee != nil {
		opts.Tee = tee
	}
	rd, err := readers.Open(path, opts)
	if err != nil {
		return nil, nil, &ManifestError{err}
	}
	m, err := readers.MapHeader(rd.Header(), spec.ReaderColumns())
	if err != nil {
		rd.Close()
		return nil, nil, &ManifestError{err}
	}
	return rd, m, nil
}

// CustomerOrderReference derives a batch's customerOrderReference from the
// run id and the batch number. The guide limits it to 50 characters
// (trunkGroupOrder's error example); run ids are short enough.
func CustomerOrderReference(runID string, batch int64) string {
	s := fmt.Sprintf("%s-%d", runID, batch)
	if len(s) > 50 {
		s = s[len(s)-50:]
	}
	return s
}

// planner reads the manifest once, validates every row and assigns the
// valid ones to batches, appending rows and batches to the checkpoint in
// small steps (checkpoints.AppendPlan) while the engine already sends the
// batches that are full: a batch is handed to the runner only once it and
// its rows are committed, so its intent can be recorded before it is sent
// as for any other batch. A plan interrupted at any point continues from
// the checkpoint (newPlanner): the rows recorded are skipped, the open
// batches keep filling and batch numbers go on, so the references of
// batches already sent never change. Memory stays O(open batches + batches
// handed over and not taken yet): duplicates are found through the
// checkpoint's index.
type planner struct {
	st        *checkpoints.Store
	run       checkpoints.Run
	job       jobs.Job
	rd        readers.Reader
	m         *readers.Mapping
	batchSize int
	refs      *references
	keys      *checkpoints.Keys
	// onRead is told the rows read so far, every 1,024 rows (may be nil).
	onRead func(rows int)
	// decided, when set, is given the rows decided at planning (invalid,
	// duplicate) once committed (outputs.feedPlanned).
	decided func(rows []record.Row)

	seq       int   // the last row read
	startSeq  int   // the last row recorded before this process planned
	nextBatch int64 // the last batch number given
	groups    map[string]*openBatch
	// held counts the rows the open batches hold in memory; past
	// maxHeldRows they let go of them (the runner reads them back).
	held    int
	planned int // rows assigned to batches by this process
	// handed: a batch was committed and handed over by this process.
	handed bool

	// pending rows and batches go into the next step; full ones are
	// handed over once it is committed.
	rows    []record.Row
	batches map[int64]*openBatch
	full    []*openBatch
}

// openBatch is a batch being filled.
type openBatch struct {
	id    int64
	group string
	n     int
	// rows are the batch's rows, kept for the runner so it need not read
	// them back; dropped once the batch was recorded open across a restart
	// or memory ran short (the runner reads them back then).
	rows    []record.Row
	dropped bool
	// handRows are the rows handed over with the full batch (nil when
	// dropped): the committer's, once the batch is in a step.
	handRows []record.Row
}

const (
	// stepRows is how many rows the planner reads before it commits a step
	// (sooner when a batch fills and the runner has too little to do).
	stepRows = 2000
	// minStepRows is the least a step commits early for hungry workers:
	// a step costs a commit and a statement to prepare.
	minStepRows = 500
	// maxHeldRows bounds the rows open batches keep in memory.
	maxHeldRows = 50_000
)

// newPlanner prepares to plan the manifest rd reads, continuing a plan the
// checkpoint holds part of: the rows recorded are read past (the manifest's
// hash was checked, so they are the same rows), and batches left open are
// filled further.
func newPlanner(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, job jobs.Job, rd readers.Reader, m *readers.Mapping, batchSize int, refs *references) (*planner, error) {
	spec := job.Spec()
	if batchSize <= 0 || batchSize > spec.BatchSize {
		batchSize = spec.BatchSize
	}
	p := &planner{st: st, run: run, job: job, rd: rd, m: m, batchSize: batchSize, refs: refs,
		groups: map[string]*openBatch{}, batches: map[int64]*openBatch{}}
	lastSeq, lastBatch, err := st.PlanCursor(ctx)
	if err != nil {
		return nil, err
	}
	p.nextBatch, p.startSeq = lastBatch, lastSeq
	open, err := st.Batches(ctx, record.BatchOpen)
	if err != nil {
		return nil, err
	}
	for _, b := range open {
		p.groups[b.GroupKey] = &openBatch{id: b.ID, group: b.GroupKey, n: b.Rows, dropped: true}
	}
	for p.seq < lastSeq {
		if _, err := rd.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, &ManifestError{fmt.Errorf("the checkpoint holds %d rows, the manifest %d", lastSeq, p.seq)}
			}
			return nil, &ManifestError{err}
		}
		p.seq++
	}
	if p.keys, err = st.NewKeys(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// close releases what the planner holds (not the reader).
func (p *planner) close() {
	if p.keys != nil {
		_ = p.keys.Close()
	}
}

// plan plans the rest of the manifest. handOver (may be nil) is given each
// batch, planned and committed with its rows, and may block (the runner
// has enough to do); its error stops the plan. hungry (may be nil) says
// whether the runner is short of batches, so a step is committed early.
func (p *planner) plan(ctx context.Context, handOver func(checkpoints.Batch, []record.Row) error, hungry func() bool) (err error) {
	// Steps are committed (and their batches handed over) by a goroutine
	// of their own, in order, while the planner reads on: a step's commit
	// waits for an fsync, which the reading need not wait for.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	steps := make(chan planStep, 1)
	committed := make(chan error, 1)
	go func() { committed <- p.commitSteps(cctx, steps, handOver) }()
	finished := false
	defer func() {
		if !finished {
			cancel()
			close(steps)
			<-committed
		}
	}()
	submit := func() error {
		s, ok := p.step()
		if !ok {
			return nil
		}
		select {
		case steps <- s:
			return nil
		case err := <-committed:
			finished = true // the committer has stopped
			if err == nil {
				err = errors.New("plan steps stopped")
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rr, err := p.rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &ManifestError{err}
		}
		p.seq++
		if p.onRead != nil && p.seq%1024 == 0 {
			p.onRead(p.seq)
		}
		filled, err := p.add(ctx, rr)
		if err != nil {
			return err
		}
		// A step commits every stepRows rows; sooner when a batch has
		// filled and it is the first (the first request waits for no
		// more), or the workers run short of batches.
		if len(p.rows) >= stepRows || (filled && (!p.handed || len(p.rows) >= minStepRows && hungry != nil && hungry())) {
			if err := submit(); err != nil {
				return err
			}
		}
	}
	for _, o := range p.groups {
		p.close1(o)
	}
	if err := submit(); err != nil {
		return err
	}
	finished = true
	close(steps)
	if err := <-committed; err != nil {
		return err
	}
	p.refs.done()
	return nil
}

// planStep is one step of the plan on its way to the checkpoint: its rows,
// the batches it opens or fills, and the full ones to hand over once it is
// committed.
type planStep struct {
	rows    []record.Row
	batches []checkpoints.Batch
	full    []*openBatch
}

// commitSteps commits the steps in order and hands each one's full batches
// over, until steps closes or a commit or hand-over fails.
func (p *planner) commitSteps(ctx context.Context, steps <-chan planStep, handOver func(checkpoints.Batch, []record.Row) error) error {
	for s := range steps {
		if err := p.st.AppendPlan(ctx, s.rows, s.batches); err != nil {
			return err
		}
		p.keys.Recorded()
		if p.decided != nil {
			var now []record.Row
			for _, r := range s.rows {
				if r.Status != "" {
					now = append(now, r)
				}
			}
			if len(now) > 0 {
				p.decided(now)
			}
		}
		if handOver == nil {
			continue
		}
		for _, o := range s.full {
			if err := handOver(p.batch(o, record.BatchPlanned), o.handRows); err != nil {
				return err
			}
		}
	}
	return nil
}

// decidedCounts returns, once planning has ended, the rows of the run
// and how many of them it decided itself (invalid, duplicate), when this
// process planned them all (ok); a plan continued after a crash cannot
// tell what the rows recorded before it hold.
func (p *planner) decidedCounts() (total, decided int, ok bool) {
	if p.startSeq != 0 {
		return 0, 0, false
	}
	return p.seq, p.seq - p.planned, true
}

// add validates one row and assigns it; filled says it filled a batch.
func (p *planner) add(ctx context.Context, rr readers.Row) (filled bool, err error) {
	// failed.csv guards cells against formula injection with a leading
	// quote; undo it so that file runs again as a manifest as is.
	for i, v := range rr.Values {
		rr.Values[i] = writers.Unneutralize(v)
	}
	row := record.Row{Seq: p.seq, Line: rr.Line, Values: rr.Values}
	parsed, errs := p.job.Parse(jobs.Row{Line: rr.Line, Dir: filepath.Dir(p.run.ManifestPath), Get: func(c string) string { return p.m.Get(rr, c) }})
	var o *openBatch
	switch {
	case len(errs) > 0:
		row.Outcome = record.Outcome{Status: record.StatusInvalid, Code: "invalid", Message: joinErrors(errs)}
	default:
		row.Key, row.Fields = parsed.Key, parsed.Fields
		if out, bad, err := p.refs.check(ctx, parsed); err != nil {
			return false, err
		} else if bad {
			row.Key, row.Outcome = "", out // not sent, so not what a later row duplicates
			break
		}
		if line, seen, err := p.keys.Seen(parsed.Key); err != nil {
			return false, err
		} else if seen {
			row.Key = ""
			row.Outcome = record.Outcome{Status: record.StatusSkipped, Code: "duplicate", Message: fmt.Sprintf("duplicate of row %d", line)}
			break
		}
		p.keys.Hold(parsed.Key, rr.Line)
		o = p.groups[parsed.Group]
		if o == nil {
			p.nextBatch++
			o = &openBatch{id: p.nextBatch, group: parsed.Group}
			p.groups[parsed.Group] = o
		}
		row.Batch = o.id
		o.n++
		p.planned++
		p.batches[o.id] = o
		if !o.dropped {
			o.rows = append(o.rows, row)
			if p.held++; p.held > maxHeldRows {
				p.drop()
			}
		}
	}
	p.rows = append(p.rows, row)
	if o != nil && o.n >= p.batchSize {
		p.close1(o)
		return true, nil
	}
	return false, nil
}

// close1 ends an open batch: planned, handed over after the next step.
func (p *planner) close1(o *openBatch) {
	delete(p.groups, o.group)
	p.batches[o.id] = o
	p.full = append(p.full, o)
}

// drop lets the open batches forget their rows.
func (p *planner) drop() {
	for _, o := range p.groups {
		p.held -= len(o.rows)
		o.rows, o.dropped = nil, true
	}
}

// step takes the pending rows and batches as a step to commit (ok false
// when there are none).
func (p *planner) step() (planStep, bool) {
	if len(p.rows) == 0 && len(p.batches) == 0 {
		return planStep{}, false
	}
	isFull := make(map[int64]bool, len(p.full))
	for _, o := range p.full {
		isFull[o.id] = true
	}
	s := planStep{rows: p.rows, full: p.full, batches: make([]checkpoints.Batch, 0, len(p.batches))}
	for _, o := range p.batches {
		state := record.BatchOpen
		if isFull[o.id] {
			state = record.BatchPlanned
		}
		s.batches = append(s.batches, p.batch(o, state))
	}
	slices.SortFunc(s.batches, func(a, b checkpoints.Batch) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range p.full {
		if !o.dropped {
			p.held -= len(o.rows)
			o.handRows = o.rows
		}
		o.rows = nil
	}
	p.keys.NextStep()
	p.rows = nil
	clear(p.batches)
	p.full = nil
	p.handed = p.handed || len(s.full) > 0
	return s, true
}

func (p *planner) batch(o *openBatch, state string) checkpoints.Batch {
	return checkpoints.Batch{ID: o.id, GroupKey: o.group, State: state, Rows: o.n,
		CustomerOrderReference: CustomerOrderReference(p.run.ID, o.id)}
}

func joinErrors(errs []error) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}
