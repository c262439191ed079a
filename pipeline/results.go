package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// Files names the outputs of a run, relative to the run directory.
type Files struct {
	Results  string `json:"results"`
	Failed   string `json:"failed"`
	Excluded string `json:"excluded"`
	Summary  string `json:"summary"`
	Log      string `json:"log"`
}

// FilesFor returns the output names for a manifest format ("csv" or "xlsx").
func FilesFor(format string) Files {
	if format != "xlsx" {
		format = "csv"
	}
	return Files{
		Results:  "results." + format,
		Failed:   "failed." + format,
		Excluded: "excluded." + format,
		Summary:  "summary.json",
		Log:      "run.log",
	}
}

// WriteOutputs rebuilds the results, failed and excluded files from the
// checkpoint, streaming: they are complete and consistent after any number of
// crashes, because the checkpoint is the only source.
func WriteOutputs(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, spec jobs.Spec, dir string, files Files) error {
	o, err := newOutputs(ctx, st, run, spec, dir, files)
	if err != nil {
		return err
	}
	defer o.abort()
	return o.finish(ctx)
}

// outputs writes the results and failed files in manifest order, in
// steps: while the run goes on, the rows whose outcome is final (writeFinal)
// — they do not change any more in this process — and at the end the rest
// (finish). The files are written aside and replace the previous ones only
// when complete (writers' atomic Close), so a crash at any moment leaves
// the previous complete files.
type outputs struct {
	st             *checkpoints.Store
	run            checkpoints.Run
	spec           jobs.Spec
	dir            string
	files          Files
	format         writers.Format
	results, fails writers.Table
	cells          []string
	width          int
	// written is the last Seq written.
	written int
	// batches are the batches' references, states and errors, read again
	// when a row names one not seen yet (planning adds batches).
	batches map[int64]checkpoints.Batch

	// fed are rows this process's runner decided, as committed (feed),
	// waiting to extend the written prefix: writeFinal takes them from
	// here instead of reading them back from the checkpoint. At most
	// maxFed wait (rows after one that waits a settle window pile up);
	// beyond that feeding stops and the checkpoint serves the rest.
	mu     sync.Mutex
	fed    map[int]*fedRow
	fedOff bool
	// past is the last Seq the writer took or wrote (under mu): a row fed
	// after the checkpoint served it is not kept.
	past int
	// fromMemory counts the rows written from fed.
	fromMemory int
	// tally counts the rows written, for the run's report (tally.go).
	tally *tally
}

// fedRow is a decided row and its batch's customerOrderReference.
type fedRow struct {
	row record.Row
	ref string
}

// maxFed bounds the rows held by feed (a few MB).
var maxFed = 50_000

// feed hands over the outcomes just committed for a batch's rows (sent:
// the rows with their manifest values). Rows without an outcome in outs
// are not fed.
func (o *outputs) feed(cb checkpoints.Batch, sent []record.Row, outs []record.RowOutcome) {
	if len(outs) == 0 {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fedOff {
		return
	}
	if len(o.fed)+len(outs) > maxFed {
		o.fed, o.fedOff = nil, true
		return
	}
	if o.fed == nil {
		o.fed = make(map[int]*fedRow, len(outs))
	}
	bySeq := make(map[int]int, len(sent))
	for i, r := range sent {
		bySeq[r.Seq] = i
	}
	for _, out := range outs {
		i, ok := bySeq[out.Seq]
		if !ok || out.Seq <= o.past {
			continue
		}
		r := sent[i]
		r.Outcome = out.Outcome
		r.Fields = nil
		o.fed[out.Seq] = &fedRow{row: r, ref: cb.CustomerOrderReference}
	}
}

// feedPlanned hands over rows decided at planning (not in a batch), once
// committed.
func (o *outputs) feedPlanned(rows []record.Row) {
	outs := make([]record.RowOutcome, len(rows))
	for i, r := range rows {
		outs[i] = record.RowOutcome{Seq: r.Seq, Outcome: r.Outcome}
	}
	o.feed(checkpoints.Batch{}, rows, outs)
}

// takeFed returns the fed rows that extend the written prefix, in Seq
// order, up to the first that is missing or not final.
func (o *outputs) takeFed() (rows []*fedRow) {
	o.mu.Lock()
	defer o.mu.Unlock()
	rows = make([]*fedRow, 0, min(len(o.fed), 4096))
	for seq := o.written + 1; ; seq++ {
		f, ok := o.fed[seq]
		if !ok || !record.Final(f.row.Status) {
			o.past = max(o.past, seq-1)
			return rows
		}
		rows = append(rows, f)
		delete(o.fed, seq)
	}
}

// firstFed returns the lowest Seq in after+1..upTo that was fed (upTo+1
// when none): the checkpoint serves the rows before it. It looks at each
// Seq in turn, so it costs what the rows it leaves to the checkpoint cost.
func (o *outputs) firstFed(after, upTo int) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.fed) == 0 {
		return upTo + 1
	}
	for seq := after + 1; seq <= upTo; seq++ {
		if _, ok := o.fed[seq]; ok {
			return seq
		}
	}
	return upTo + 1
}

// dropFed forgets the fed rows in after+1..upTo, written from the
// checkpoint (fed while it was read).
func (o *outputs) dropFed(after, upTo int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.past = max(o.past, upTo)
	if len(o.fed) == 0 {
		return
	}
	for seq := after + 1; seq <= upTo; seq++ {
		delete(o.fed, seq)
	}
}

func newOutputs(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, spec jobs.Spec, dir string, files Files) (*outputs, error) {
	format, err := writers.FormatFromPath(files.Results)
	if err != nil {
		return nil, err
	}
	o := &outputs{st: st, run: run, spec: spec, dir: dir, files: files, format: format, width: len(run.Header), tally: newTally()}
	if err := o.readBatches(ctx); err != nil {
		return nil, err
	}
	if o.results, err = writers.Create(filepath.Join(dir, files.Results), format, writers.WithSheet("results")); err != nil {
		return nil, err
	}
	if o.fails, err = writers.Create(filepath.Join(dir, files.Failed), format, writers.WithSheet("failed")); err != nil {
		abort(o.results)
		return nil, err
	}
	header := append(writers.ResultHeader(run.Header), spec.Outputs...)
	o.cells = make([]string, len(header))
	if err := o.results.WriteHeader(header); err != nil {
		o.abort()
		return nil, err
	}
	if err := o.fails.WriteHeader(run.Header); err != nil {
		o.abort()
		return nil, err
	}
	return o, nil
}

func (o *outputs) readBatches(ctx context.Context) error {
	batches, err := o.st.Batches(ctx)
	if err != nil {
		return err
	}
	o.batches = make(map[int64]checkpoints.Batch, len(batches))
	for _, b := range batches {
		o.batches[b.ID] = checkpoints.Batch{CustomerOrderReference: b.CustomerOrderReference, State: b.State, Error: b.Error}
	}
	return nil
}

// abort drops the files being written (after finish it does nothing).
func (o *outputs) abort() {
	abort(o.results)
	abort(o.fails)
}

// writeFinal writes the rows after those written whose outcomes are final,
// up to the first that is not: the rows fed by the runner from memory, the
// others (decided at planning, by an earlier process, or not fed) read from
// the checkpoint.
//
// askCheckpoint false writes only what memory holds: the checkpoint is
// asked less often than memory (a read of the checkpoint costs more than
// the rows it usually finds: none).
func (o *outputs) writeFinal(ctx context.Context, askCheckpoint bool) error {
	for {
		fed := o.takeFed()
		for _, f := range fed {
			if err := o.writeRow(f.row, checkpoints.Batch{CustomerOrderReference: f.ref}); err != nil {
				return err
			}
		}
		o.fromMemory += len(fed)
		if !askCheckpoint {
			return nil
		}
		upTo, err := o.st.FinalPrefix(ctx, o.written)
		if err != nil {
			return err
		}
		// The fed rows from the first one on come from memory.
		upTo = min(upTo, o.firstFed(o.written, upTo)-1)
		if upTo <= o.written {
			if len(fed) == 0 {
				return nil
			}
			continue
		}
		from := o.written
		if err := o.write(ctx, upTo); err != nil {
			return err
		}
		o.dropFed(from, o.written)
	}
}

// finish writes every row not written yet, as the checkpoint has it now,
// completes the files and writes the excluded file.
func (o *outputs) finish(ctx context.Context) error {
	if err := o.readBatches(ctx); err != nil { // states as they are now
		return err
	}
	if err := o.write(ctx, 0); err != nil {
		return err
	}
	if err := o.results.Close(); err != nil {
		return err
	}
	if err := o.fails.Close(); err != nil {
		return err
	}
	return writeExcluded(ctx, o.st, filepath.Join(o.dir, o.files.Excluded), o.format)
}

// write writes the rows after those written, up to Seq upTo (0: all), as
// the checkpoint has them.
func (o *outputs) write(ctx context.Context, upTo int) error {
	for row, err := range o.st.OutputRows(ctx, o.written, upTo) {
		if err != nil {
			return err
		}
		b, known := o.batches[row.Batch]
		if !known && row.Batch > 0 {
			if err := o.readBatches(ctx); err != nil {
				return err
			}
			b = o.batches[row.Batch]
		}
		if err := o.writeRow(row, b); err != nil {
			return err
		}
	}
	return nil
}

// writeRow writes the next row of the results (and, when it is to be run
// again, of failed): its manifest values, then its outcome (for a row
// without one, what the state of its batch b says), and counts it in the
// tally.
func (o *outputs) writeRow(row record.Row, b checkpoints.Batch) error {
	o.tally.add(row, b.State)
	if row.Status == "" {
		row.Outcome = record.Undecided(b.State, b.Error)
	}
	ref := b.CustomerOrderReference
	cells, width := o.cells, o.width
	n := copy(cells[:width], row.Values)
	clear(cells[n:width])
	out := cells[width:]
	batch := ""
	if row.Batch > 0 {
		batch = strconv.FormatInt(row.Batch, 10)
	}
	copy(out, []string{strconv.Itoa(row.Line), row.Status, row.Code, row.Message, row.OrderID, ref, batch})
	for i, c := range o.spec.Outputs {
		out[len(writers.ResultColumns)+i] = row.Extra[c]
	}
	if err := o.results.WriteRow(cells); err != nil {
		return err
	}
	if record.Rerunnable(row.Outcome) {
		if err := o.fails.WriteRow(cells[:width]); err != nil {
			return err
		}
	}
	o.written = row.Seq
	return nil
}

func writeExcluded(ctx context.Context, st *checkpoints.Store, path string, format writers.Format) error {
	w, err := writers.Create(path, format, writers.WithSheet("excluded"))
	if err != nil {
		return err
	}
	defer abort(w)
	if err := w.WriteHeader(writers.ExcludedColumns); err != nil {
		return err
	}
	for x, err := range st.Excluded(ctx) {
		if err != nil {
			return err
		}
		row := jobs.ExcludedCells(x)
		if err := w.WriteRow(row); err != nil {
			return err
		}
	}
	return w.Close()
}

// abort drops a half-written output, keeping the previous complete one. After
// a successful Close it does nothing.
func abort(t writers.Table) {
	if a, ok := t.(writers.Aborter); ok {
		_ = a.Abort()
	}
}
