package checkpoints

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"
	"github.com/iqbulk/iqbulk/record"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// SchemaVersion is the version of the schema this package writes.
const SchemaVersion = 8

const (
	busyTimeoutMS   = 10000
	readConns       = 4
	defaultPageSize = 5000
	planCommitEvery = 5000
	fileMode        = 0o600
)

// schema is the current version. Times are TEXT in RFC 3339 (UTC,
// nanoseconds), ” for none; run options and headers are JSON text; a row's
// cells, fields and outcome details are blobs (codec.go).
const schema = `
CREATE TABLE run (
	singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
	id            TEXT NOT NULL,
	job           TEXT NOT NULL,
	options       TEXT,
	manifest_path TEXT NOT NULL,
	manifest_hash TEXT NOT NULL,
	header        TEXT NOT NULL,
	endpoint      TEXT NOT NULL,
	state         TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
` + chunksTable + `CREATE TABLE batches (
	id                       INTEGER PRIMARY KEY,
	group_key                TEXT NOT NULL,
	state                    TEXT NOT NULL,
	customer_order_reference TEXT NOT NULL,
	request_hash             TEXT NOT NULL,
	attempts                 INTEGER NOT NULL,
	order_id                 TEXT NOT NULL,
	error                    TEXT NOT NULL,
	rows                     INTEGER NOT NULL,
	sent_at                  TEXT NOT NULL,
	done_at                  TEXT NOT NULL,
	last_sent_at             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batches_state ON batches (state);
CREATE TABLE orders (
	order_id                 TEXT PRIMARY KEY,
	customer_order_reference TEXT NOT NULL,
	batch                    INTEGER NOT NULL,
	status                   TEXT NOT NULL,
	final                    INTEGER NOT NULL,
	polls                    INTEGER NOT NULL,
	checked_at               TEXT NOT NULL,
	detail                   TEXT NOT NULL
);
CREATE TABLE history (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	seq     INTEGER NOT NULL,
	at      TEXT NOT NULL,
	status  TEXT NOT NULL,
	message TEXT NOT NULL
);
CREATE INDEX history_seq ON history (seq, at);
CREATE TABLE excluded (
	id                       INTEGER PRIMARY KEY AUTOINCREMENT,
	kind                     TEXT NOT NULL,
	order_id                 TEXT NOT NULL,
	customer_order_reference TEXT NOT NULL,
	tn                       TEXT NOT NULL,
	reason                   TEXT NOT NULL,
	insert_date              TEXT NOT NULL,
	e911                     TEXT NOT NULL,
	display_name             TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, order_id, tn, reason)
);
CREATE TABLE cursors (
	name       TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
` + snapshotSchema + stepSchema

// rowsTable is the rows table of schemas 6 and 7: the columns SQL selects,
// groups or indexes by, and two blobs (codec.go) that hold all of the row
// in schema 7. A row is recorded with its outcome columns at their
// defaults unless it is decided when planned.
const rowsTable = `
CREATE TABLE rows (
	seq     INTEGER PRIMARY KEY,
	key     TEXT NOT NULL,
	batch   INTEGER NOT NULL,
	status  TEXT NOT NULL DEFAULT '',
	code    TEXT NOT NULL DEFAULT '',
	message TEXT NOT NULL DEFAULT '',
	data    BLOB NOT NULL,
	outcome BLOB NOT NULL DEFAULT x''
);
`

const rowsIndexes = `
CREATE INDEX rows_key ON rows (key);
CREATE INDEX rows_batch ON rows (batch);
`

// Store is the checkpoint of one run. It is safe for concurrent use.
type Store struct {
	path     string
	w        *sql.DB      // the single writer connection
	r        *sql.DB      // read-only connections
	pageSize int          // rows per page in Rows and Excluded
	lock     *flock.Flock // held by Lock until Close

	// Statements prepared once (see exec and query), by their text: the
	// hot ones, each used per batch or per step of a run, where preparing
	// them every time cost more than running them.
	wstmts map[string]*sql.Stmt // on the writer connection
	rstmts map[string]*sql.Stmt // on the read connections

	// Group commit (see write): queue holds the writes waiting for a
	// commit, under gmu; commitMu is held by the one committing.
	gmu      sync.Mutex
	queue    []*pendingWrite
	commitMu sync.Mutex
	commits  atomic.Int64 // write transactions committed (Commits)
	writes   atomic.Int64 // writes they held
}

// Commits returns how many write transactions the store has committed
// through its group commit, and how many writes they held (writes ÷
// commits is the mean group size). Every commit is one fsync of the WAL;
// benchmarks report it.
func (s *Store) Commits() (commits, writes int64) { return s.commits.Load(), s.writes.Load() }

// Open opens (creating if needed) the state database at path, typically
// RUN_DIR/state.db. The directory must exist. The file and its -wal and
// -shm side files get mode 0600.
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	// Create the file ourselves so that it is 0600 from its first byte;
	// SQLite gives its -wal and -shm files the mode of the database file.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	if err := os.Chmod(abs, fileMode); err != nil {
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}

	base := dsn(abs)
	s := &Store{path: abs, pageSize: defaultPageSize}
	s.w, err = sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.init(ctx); err != nil {
		_ = s.w.Close()
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	if s.wstmts, err = prepare(ctx, s.w, writeQueries()); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	s.r, err = sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		_ = s.w.Close()
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(readConns)
	s.r.SetMaxIdleConns(readConns)
	if err := s.r.PingContext(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	if s.rstmts, err = prepare(ctx, s.r, readQueries()); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
	}
	for _, side := range []string{abs + "-wal", abs + "-shm"} {
		if err := os.Chmod(side, fileMode); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = s.Close()
			return nil, fmt.Errorf("checkpoints: open %s: %w", path, err)
		}
	}
	return s, nil
}

// dsn builds the driver's URI for an absolute path: WAL, synchronous=FULL,
// a busy timeout and no foreign keys on every connection, and temporary
// files in memory: the savepoint of every write (runSavepoint) journals the
// pages it changes, and a temporary file on disk made that a write system
// call per page.
func dsn(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:/C:/...
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() +
		fmt.Sprintf("?_pragma=busy_timeout(%d)", busyTimeoutMS) +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(0)&_pragma=temp_store(2)"
}

// init checks the connection's settings and creates or checks the schema.
func (s *Store) init(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	var version int
	err = tx.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, schema); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (?)", SchemaVersion); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
	case err != nil:
		return fmt.Errorf("schema version: %w", err)
	case version > SchemaVersion:
		return fmt.Errorf("%w (schema %d, this build knows %d)", ErrSchemaTooNew, version, SchemaVersion)
	case version < 1:
		return fmt.Errorf("schema version %d: %w", version, ErrInvalid)
	case version < SchemaVersion:
		if version == 1 {
			// Version 2 records when a batch was last sent, for the settle
			// window; a version 1 run's in-doubt batches fall back to sent_at.
			if _, err := tx.ExecContext(ctx, "ALTER TABLE batches ADD COLUMN last_sent_at TEXT NOT NULL DEFAULT ''"); err != nil {
				return fmt.Errorf("migrate schema 1 to 2: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE batches SET last_sent_at = sent_at"); err != nil {
				return fmt.Errorf("migrate schema 1 to 2: %w", err)
			}
		}
		if version < 3 {
			// Version 3 keeps the values numbers had before the run changed
			// them (snapshots.go); an older run simply has none.
			if _, err := tx.ExecContext(ctx, snapshotSchema); err != nil {
				return fmt.Errorf("migrate schema %d to 3: %w", version, err)
			}
		}
		// Version 4: the steps of multi-request batches (steps.go).
		if err := migrateSteps(ctx, tx); err != nil {
			return err
		}
		// Version 5: who placed the order an exclusion is on (excludedTnList's
		// displayName).
		if err := addColumn(ctx, tx, "excluded", "display_name", "TEXT NOT NULL DEFAULT ''"); err != nil {
			return fmt.Errorf("migrate schema %d to 5: %w", version, err)
		}
		// Version 6: a row's cells, fields and outcome details in blobs;
		// version 7: all of a row in its blobs. A rebuilt table has the
		// blobs of 7 already.
		// Version 8: rows in chunks, a batch's rows in one record
		// (chunks.go). A table of rows (schemas 1 to 7) goes through the
		// rows' own migrations first.
		var rowsTables int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rows'").Scan(&rowsTables); err != nil {
			return fmt.Errorf("migrate schema %d: %w", version, err)
		}
		if rowsTables > 0 {
			rebuilt, err := s.migrateRows6(ctx, tx)
			if err != nil {
				return fmt.Errorf("migrate schema %d to 6: %w", version, err)
			}
			if !rebuilt {
				if err := s.migrateBlobs7(ctx, tx); err != nil {
					return fmt.Errorf("migrate schema %d to 7: %w", version, err)
				}
			}
			if err := s.migrateChunks8(ctx, tx); err != nil {
				return fmt.Errorf("migrate schema %d to 8: %w", version, err)
			}
		}
		// Version 8 too: a batch's snapshots in one record.
		if err := migrateSnapshots8(ctx, tx); err != nil {
			return fmt.Errorf("migrate schema %d to 8: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = ?", SchemaVersion); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", version, SchemaVersion, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit schema: %w", err)
	}
	return nil
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes the store. Everything written is already durable.
func (s *Store) Close() error {
	var errs []error
	for _, st := range s.wstmts {
		errs = append(errs, st.Close())
	}
	for _, st := range s.rstmts {
		errs = append(errs, st.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close()) // closing releases the lock
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("checkpoints: close: %w", err)
	}
	return nil
}

// CreateRun records the run. It fails with ErrRunExists if one is recorded.
// CreatedAt and UpdatedAt default to now; State defaults to record.RunPlanning.
func (s *Store) CreateRun(ctx context.Context, r Run) error {
	if r.State == "" {
		r.State = record.RunPlanning
	}
	if !validRunState(r.State) {
		return fmt.Errorf("checkpoints: create run: state %q: %w", r.State, ErrInvalid)
	}
	if r.ID == "" {
		return fmt.Errorf("checkpoints: create run: empty id: %w", ErrInvalid)
	}
	if len(r.Options) > 0 && !json.Valid(r.Options) {
		return fmt.Errorf("checkpoints: create run: options are not JSON: %w", ErrInvalid)
	}
	now := time.Now()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	header, err := json.Marshal(nonNil(r.Header))
	if err != nil {
		return fmt.Errorf("checkpoints: create run: header: %w", err)
	}
	var options any // NULL when there are none
	if len(r.Options) > 0 {
		options = string(r.Options)
	}
	return s.write(ctx, "create run", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM run").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrRunExists
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO run (singleton, id, job, options, manifest_path, manifest_hash,
			header, endpoint, state, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Job, options, r.ManifestPath, r.ManifestHash, string(header), r.Endpoint, r.State,
			fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt))
		return err
	})
}

// Run returns the recorded run, or ErrNoRun.
func (s *Store) Run(ctx context.Context) (Run, error) {
	var (
		r                Run
		options          sql.NullString
		header           string
		created, updated string
	)
	err := s.r.QueryRowContext(ctx, `SELECT id, job, options, manifest_path, manifest_hash, header, endpoint,
		state, created_at, updated_at FROM run`).Scan(&r.ID, &r.Job, &options, &r.ManifestPath, &r.ManifestHash,
		&header, &r.Endpoint, &r.State, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, ErrNoRun
	}
	if err != nil {
		return Run{}, fmt.Errorf("checkpoints: run: %w", err)
	}
	if options.Valid {
		r.Options = json.RawMessage(options.String)
	}
	if err := json.Unmarshal([]byte(header), &r.Header); err != nil {
		return Run{}, fmt.Errorf("checkpoints: run: header: %w", err)
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return Run{}, fmt.Errorf("checkpoints: run: %w", err)
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return Run{}, fmt.Errorf("checkpoints: run: %w", err)
	}
	return r, nil
}

// SetRunState sets the run's state (and its UpdatedAt).
func (s *Store) SetRunState(ctx context.Context, state string) error {
	if !validRunState(state) {
		return fmt.Errorf("checkpoints: set run state: %q: %w", state, ErrInvalid)
	}
	return s.write(ctx, "set run state", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE run SET state = ?, updated_at = ?", state, fmtTime(time.Now()))
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNoRun)
	})
}

// write runs fn in a write transaction and returns once it is committed
// (durable: WAL, synchronous=FULL), or with the error that kept it from
// being committed.
//
// Writes are group-committed: while one transaction commits (the fsync is
// most of a write's cost on a real disk), the writes that arrive queue up,
// and the next of them to get the commit lock commits all of them in one
// transaction. Each write still returns only after its own changes are
// durable, so "an intent is committed before its request is sent" holds as
// before. Each write runs inside a savepoint of its own: one that fails is
// rolled back alone, and the others of its group commit all the same. A
// failed commit fails every write of its group: none of them is durable.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	w := &pendingWrite{ctx: ctx, op: op, fn: fn, done: make(chan error, 1)}
	s.gmu.Lock()
	s.queue = append(s.queue, w)
	s.gmu.Unlock()

	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.gmu.Lock()
	group := s.queue
	s.queue = nil
	s.gmu.Unlock()
	if len(group) > 0 { // else an earlier committer took ours with its group
		s.commitGroup(ctx, group)
	}
	return <-w.done
}

// pendingWrite is one write waiting for its group's commit.
type pendingWrite struct {
	ctx  context.Context
	op   string
	fn   func(tx *sql.Tx) error
	done chan error
}

// commitGroup runs the writes of a group in one transaction, each in a
// savepoint, commits it and tells every write its result.
func (s *Store) commitGroup(ctx context.Context, group []*pendingWrite) {
	// The transaction outlives any one caller's cancellation: a cancelled
	// write is left out (its savepoint rolled back), the others commit.
	tx, err := s.w.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		for _, w := range group {
			w.done <- fmt.Errorf("checkpoints: %s: begin: %w", w.op, err)
		}
		return
	}
	errs := make([]error, len(group))
	for i, w := range group {
		errs[i] = s.runSavepoint(tx, w)
	}
	if err := tx.Commit(); err != nil {
		for _, w := range group {
			w.done <- fmt.Errorf("checkpoints: %s: commit: %w", w.op, err)
		}
		return
	}
	s.commits.Add(1)
	s.writes.Add(int64(len(group)))
	for i, w := range group {
		w.done <- errs[i]
	}
}

func (s *Store) runSavepoint(tx *sql.Tx, w *pendingWrite) error {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("checkpoints: %s: %w", w.op, err)
	}
	bg := context.WithoutCancel(w.ctx)
	if _, err := s.exec(bg, tx, "SAVEPOINT w"); err != nil {
		return fmt.Errorf("checkpoints: %s: begin: %w", w.op, err)
	}
	if err := w.fn(tx); err != nil {
		_, _ = s.exec(bg, tx, "ROLLBACK TO w")
		_, _ = s.exec(bg, tx, "RELEASE w")
		return fmt.Errorf("checkpoints: %s: %w", w.op, err)
	}
	if _, err := s.exec(bg, tx, "RELEASE w"); err != nil {
		return fmt.Errorf("checkpoints: %s: %w", w.op, err)
	}
	return nil
}

// oneAffected reports notFound unless res changed at least one row.
func oneAffected(res sql.Result, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// timeFormat is RFC 3339 with a fixed nine-digit fraction, so that stored
// times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// addColumn adds a column to a table unless it is there already (a
// migration may meet a table that has it).
func addColumn(ctx context.Context, tx *sql.Tx, table, column, decl string) error {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if name == column {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "ALTER TABLE "+table+" ADD COLUMN "+column+" "+decl)
	return err
}
