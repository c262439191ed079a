package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
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

// plan reads the whole manifest once, validates every row and assigns the
// valid ones to batches, writing rows and batches to the checkpoint. Memory
// stays O(open batches): duplicates are found through the checkpoint's index.
func plan(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, job jobs.Job, rd readers.Reader, m *readers.Mapping, batchSize int, refs *references, onRead func(rows int)) (planned int, err error) {
	spec := job.Spec()
	if batchSize <= 0 || batchSize > spec.BatchSize {
		batchSize = spec.BatchSize
	}
	p, err := st.NewPlan(ctx)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			p.Rollback()
		}
	}()
	type open struct {
		id   int64
		rows int
	}
	groups := map[string]*open{}
	var nextBatch int64
	flush := func(group string, o *open) error {
		delete(groups, group)
		return p.AddBatch(checkpoints.Batch{
			ID: o.id, GroupKey: group, State: record.BatchPlanned, Rows: o.rows,
			CustomerOrderReference: CustomerOrderReference(run.ID, o.id),
		})
	}
	manifestDir := filepath.Dir(run.ManifestPath)
	// lines maps seq to source line for "duplicate of row N" (4 bytes a row).
	var lines []int32
	seq := 0
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		rr, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, &ManifestError{err}
		}
		seq++
		if onRead != nil && seq%1024 == 0 {
			onRead(seq)
		}
		lines = append(lines, int32(rr.Line))
		// failed.csv guards cells against formula injection with a leading
		// quote; undo it so that file runs again as a manifest as is.
		for i, v := range rr.Values {
			rr.Values[i] = writers.Unneutralize(v)
		}
		row := record.Row{Seq: seq, Line: rr.Line, Values: rr.Values}
		parsed, errs := job.Parse(jobs.Row{Line: rr.Line, Dir: manifestDir, Get: func(c string) string { return m.Get(rr, c) }})
		switch {
		case len(errs) > 0:
			row.Outcome = record.Outcome{Status: record.StatusInvalid, Code: "invalid", Message: joinErrors(errs)}
		default:
			row.Key, row.Fields = parsed.Key, parsed.Fields
			if out, bad, err := refs.check(ctx, parsed); err != nil {
				return 0, err
			} else if bad {
				row.Key, row.Outcome = "", out // not sent, so not what a later row duplicates
				break
			}
			if first, seen, err := p.SeenKey(parsed.Key); err != nil {
				return 0, err
			} else if seen {
				row.Key = ""
				row.Outcome = record.Outcome{Status: record.StatusSkipped, Code: "duplicate", Message: fmt.Sprintf("duplicate of row %d", lines[first-1])}
				break
			}
			o := groups[parsed.Group]
			if o == nil {
				nextBatch++
				o = &open{id: nextBatch}
				groups[parsed.Group] = o
			}
			row.Batch = o.id
			o.rows++
			planned++
			if o.rows >= batchSize {
				if err := flush(parsed.Group, o); err != nil {
					return 0, err
				}
			}
		}
		if err := p.AddRow(row); err != nil {
			return 0, err
		}
	}
	for g, o := range groups {
		if err := flush(g, o); err != nil {
			return 0, err
		}
	}
	refs.done()
	return planned, p.Commit()
}

func joinErrors(errs []error) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}
