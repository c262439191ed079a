package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// This file is the one place that decides what may be done with a run
// directory: a new run only in a directory that holds none, a resume only
// of a recorded run and only against the endpoint it was recorded with.

const (
	stateFile = "state.db"
	// intentFile is the first thing a new run writes: what it was asked to
	// do, so that a process killed before the run is recorded in state.db
	// (reading and checking a large manifest takes a while) leaves a
	// directory that resume starts over and run may reuse.
	intentFile = "run.intent.json"
)

// intent is what a new run was asked to do, before it is recorded.
type intent struct {
	ID       string          `json:"id"`
	Job      string          `json:"job"`
	Manifest string          `json:"manifest"`
	Endpoint string          `json:"endpoint"`
	Settings json.RawMessage `json:"settings"`
}

func writeIntent(cfg Config) error {
	settings, err := json.Marshal(settingsOf(cfg))
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(cfg.Manifest)
	data, err := json.Marshal(intent{ID: cfg.RunID, Job: cfg.Job.Spec().Name, Manifest: abs, Endpoint: cfg.Endpoint, Settings: settings})
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.Dir, intentFile)
	if err := os.WriteFile(path+".tmp", data, 0o600); err != nil {
		return err
	}
	if err := syncPath(path + ".tmp"); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// readIntent returns the intent left in dir, or nil.
func readIntent(dir string) *intent {
	data, err := os.ReadFile(filepath.Join(dir, intentFile))
	if err != nil {
		return nil
	}
	var in intent
	if json.Unmarshal(data, &in) != nil || in.Job == "" || in.Manifest == "" {
		return nil
	}
	return &in
}

func removeIntent(dir string) {
	for _, s := range []string{"", ".tmp"} {
		_ = os.Remove(filepath.Join(dir, intentFile+s))
	}
}

// RunExistsError: a new run was asked for in a directory that holds a run.
type RunExistsError struct {
	Dir string
	Run checkpoints.Run
}

func (e *RunExistsError) Error() string {
	return fmt.Sprintf("%s already holds run %s (%s, %s); a run directory belongs to one run: continue it with `iqbulk resume %s`, or give another --out",
		e.Dir, e.Run.ID, e.Run.Job, e.Run.State, e.Dir)
}

// NoRunError: a directory holds no recorded run (never used, or left by a
// process killed before it recorded its run: nothing was sent from it).
type NoRunError struct{ Dir string }

func (e *NoRunError) Error() string {
	if in := readIntent(e.Dir); in != nil {
		return fmt.Sprintf("%s holds a %s run that was stopped before it was recorded, so nothing was sent from it; `iqbulk resume %s` starts it over", e.Dir, in.Job, e.Dir)
	}
	return fmt.Sprintf("%s holds no recorded run, so nothing was sent from it; start one there with `iqbulk run JOB MANIFEST --out %s`", e.Dir, e.Dir)
}

// EndpointError: a resume or follow-up was pointed at another endpoint
// than the one the run was recorded against (another account, perhaps).
type EndpointError struct {
	Dir, Recorded, Given string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("%s was run against %s; it continues only there (leave out --endpoint, or give --endpoint %s), not against %s",
		e.Dir, e.Recorded, e.Recorded, e.Given)
}

// SentError wraps a failure that came after the run had sent something
// (a write error, a full disk, credentials refused half-way): the run must
// be resumed, never started over, and its exit code is 3, not 2.
type SentError struct {
	Dir string
	Err error
}

func (e *SentError) Error() string { return e.Err.Error() }
func (e *SentError) Unwrap() error { return e.Err }

// Recorded returns the run recorded in dir without changing anything, or a
// *NoRunError. A run asked for but killed before it was recorded is
// returned from its intent, in state planning: resume records and plans it.
func Recorded(ctx context.Context, dir string) (checkpoints.Run, error) {
	run, err := recorded(ctx, dir)
	var none *NoRunError
	if errors.As(err, &none) {
		if in := readIntent(dir); in != nil {
			return checkpoints.Run{ID: in.ID, Job: in.Job, Options: in.Settings, ManifestPath: in.Manifest,
				Endpoint: in.Endpoint, State: record.RunPlanning}, nil
		}
	}
	return run, err
}

func recorded(ctx context.Context, dir string) (checkpoints.Run, error) {
	path := filepath.Join(dir, stateFile)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return checkpoints.Run{}, &NoRunError{Dir: dir}
		}
		return checkpoints.Run{}, err
	}
	st, err := checkpoints.Open(ctx, path)
	if err != nil {
		return checkpoints.Run{}, err
	}
	defer st.Close()
	run, err := st.Run(ctx)
	if errors.Is(err, checkpoints.ErrNoRun) {
		return run, &NoRunError{Dir: dir}
	}
	return run, err
}

// CheckEndpoint refuses to continue run against another endpoint than the
// recorded one; given "" means the recorded one.
func CheckEndpoint(dir string, run checkpoints.Run, given string) error {
	if given != "" && given != run.Endpoint {
		return &EndpointError{Dir: dir, Recorded: run.Endpoint, Given: given}
	}
	return nil
}

// OpenForResume is what resume and follow check before they connect: dir
// holds a run, and endpoint ("" for the recorded one) is the run's.
func OpenForResume(ctx context.Context, dir, endpoint string) (checkpoints.Run, error) {
	run, err := Recorded(ctx, dir)
	if err != nil {
		return run, err
	}
	return run, CheckEndpoint(dir, run, endpoint)
}

// CheckNew is what run checks before it connects: dir holds no run. A
// directory left by a process killed before its run was recorded holds no
// run (nothing was sent); its leftovers, its intent included, are cleared.
func CheckNew(ctx context.Context, dir string) error {
	run, err := recorded(ctx, dir)
	var none *NoRunError
	switch {
	case errors.As(err, &none):
		return clearState(dir)
	case err != nil:
		return fmt.Errorf("%s: %w", dir, err)
	}
	return &RunExistsError{Dir: dir, Run: run}
}

// Create records a new run in cfg.Dir, which must not hold one: its job,
// manifest (path, hash, header) and settings. The record appears at once
// (written aside and renamed into place), so a process killed at any moment
// leaves either no run or a recorded one that Resume plans and runs. The
// manifest's header is checked first: a manifest error records nothing.
func Create(ctx context.Context, cfg Config) (checkpoints.Run, error) {
	if err := CheckNew(ctx, cfg.Dir); err != nil {
		return checkpoints.Run{}, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return checkpoints.Run{}, err
	}
	if err := writeIntent(cfg); err != nil {
		return checkpoints.Run{}, err
	}
	run, err := recordRun(ctx, cfg)
	var me *ManifestError
	if err == nil || errors.As(err, &me) {
		removeIntent(cfg.Dir) // recorded, or refused: nothing to start over
	}
	return run, err
}

// recordRun checks the manifest and records the run in state.db.
func recordRun(ctx context.Context, cfg Config) (checkpoints.Run, error) {
	spec := cfg.Job.Spec()
	// A CSV manifest is read through once here (scanManifest) and hashed
	// in the same pass; an XLSX, which is not scanned, is hashed apart.
	var (
		hash string
		err  error
	)
	csv := false
	if format, _ := readers.Format(cfg.Manifest); format == readers.FormatCSV {
		csv = true
	} else if hash, err = HashFile(cfg.Manifest); err != nil {
		return checkpoints.Run{}, err
	}
	h := &countingHash{h: sha256.New()}
	rd, m, err := openManifest(cfg.Manifest, cfg.Opts.Sheet, spec, cfg.Settings.Encoding, h)
	if err != nil {
		return checkpoints.Run{}, err
	}
	header := rd.Header()
	if csv {
		err = scanManifest(rd)
	}
	rd.Close()
	if err != nil {
		return checkpoints.Run{}, err
	}
	if csv {
		if hash, err = h.finish(cfg.Manifest); err != nil {
			return checkpoints.Run{}, err
		}
	}
	if err := checkColumns(m, spec, cfg.Log); err != nil {
		return checkpoints.Run{}, err
	}
	opts, err := json.Marshal(settingsOf(cfg))
	if err != nil {
		return checkpoints.Run{}, err
	}
	abs, _ := filepath.Abs(cfg.Manifest)
	run := checkpoints.Run{
		ID: cfg.RunID, Job: spec.Name, Options: opts, ManifestPath: abs, ManifestHash: hash,
		Header: header, Endpoint: cfg.Endpoint, State: record.RunPlanning,
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return run, err
	}
	tmp := filepath.Join(cfg.Dir, stateFile+".new")
	removeDB(tmp)
	st, err := checkpoints.Open(ctx, tmp)
	if err != nil {
		return run, err
	}
	if err := st.CreateRun(ctx, run); err != nil {
		st.Close()
		removeDB(tmp)
		return run, err
	}
	if err := st.Close(); err != nil {
		removeDB(tmp)
		return run, err
	}
	// Closing the last connection folds the WAL into the file; nothing of
	// the record lives in side files any more.
	for _, side := range []string{"-wal", "-shm"} {
		_ = os.Remove(tmp + side)
	}
	if err := syncPath(tmp); err != nil {
		return run, err
	}
	if err := os.Rename(tmp, filepath.Join(cfg.Dir, stateFile)); err != nil {
		removeDB(tmp)
		return run, err
	}
	return run, nil
}

// clearState removes what a process killed before recording its run may
// have left: its intent, a state.db without a run, the record being written.
func clearState(dir string) error {
	removeIntent(dir)
	for _, p := range []string{filepath.Join(dir, stateFile), filepath.Join(dir, stateFile+".new")} {
		if err := removeDB(p); err != nil {
			return err
		}
	}
	return nil
}

// discardRun removes a run that sent nothing (its planning found the
// manifest unreadable), so that the directory is free for a new run.
func discardRun(dir string) error { return clearState(dir) }

func removeDB(path string) error {
	var errs []error
	for _, s := range []string{"", "-wal", "-shm", ".lock"} {
		if err := os.Remove(path + s); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func syncPath(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// sentAnything reports whether the run has sent a request: any batch past
// planned, in a run that is not a dry run.
func sentAnything(ctx context.Context, st *checkpoints.Store, dryRun bool) bool {
	if dryRun {
		return false
	}
	byBatch, err := st.BatchCounts(ctx)
	if err != nil {
		return true // cannot tell: never claim nothing was sent
	}
	for state, n := range byBatch {
		if state != record.BatchPlanned && state != record.BatchOpen && n > 0 {
			return true
		}
	}
	return false
}

// scanManifest reads every row of a CSV manifest once (about a million rows
// a second), so that a file the readers refuse (a wrong encoding, an
// over-long line, a broken quote) is refused before anything is recorded
// or connected. An XLSX is not read twice (reading one costs ten times
// more): opening it already checked its sizes and every cell's length; a
// row error found while planning discards the run, nothing sent.
func scanManifest(rd readers.Reader) error {
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &ManifestError{err}
		}
	}
}

// checkColumns refuses header cells that look like misspelt columns of the
// job, and warns about the others that match no column: they are carried
// to the results unchanged.
func checkColumns(m *readers.Mapping, spec jobs.Spec, log *slog.Logger) error {
	if nm := m.NearMisses(); len(nm) > 0 {
		errs := make([]error, len(nm))
		for i, e := range nm {
			errs[i] = e
		}
		return &ManifestError{errors.Join(errs...)}
	}
	if log == nil {
		return nil
	}
	for _, h := range m.UnknownColumns() {
		log.Warn("manifest column matches no column of the job; it is carried to the results unchanged", "column", readers.Shorten(h), "job", spec.Name)
	}
	return nil
}

// recordIntended records, from its intent, a run whose process was killed
// before recording it (Resume calls it): nothing was sent, so it starts
// over with the manifest and settings it was given.
func recordIntended(ctx context.Context, cfg Config) error {
	if _, err := recorded(ctx, cfg.Dir); err == nil {
		removeIntent(cfg.Dir) // killed between recording and tidying up
		return nil
	}
	in := readIntent(cfg.Dir)
	if in == nil {
		return &NoRunError{Dir: cfg.Dir}
	}
	if in.Job != cfg.Job.Spec().Name {
		return fmt.Errorf("%s was asked to run %s, not %s", cfg.Dir, in.Job, cfg.Job.Spec().Name)
	}
	if err := clearStateOnly(cfg.Dir); err != nil {
		return err
	}
	cfg.Manifest, cfg.RunID, cfg.Endpoint = in.Manifest, in.ID, in.Endpoint
	_, err := recordRun(ctx, cfg)
	var me *ManifestError
	if err == nil || errors.As(err, &me) {
		removeIntent(cfg.Dir)
	}
	return err
}

// clearStateOnly removes a state.db without a run and a half-written
// record, keeping the intent.
func clearStateOnly(dir string) error {
	for _, p := range []string{filepath.Join(dir, stateFile), filepath.Join(dir, stateFile+".new")} {
		if err := removeDB(p); err != nil {
			return err
		}
	}
	return nil
}
