// Package checkpoints keeps the durable state of a run in SQLite
// (modernc.org/sqlite, no cgo), in RUN_DIR/state.db: the run's metadata,
// every manifest row with its outcome, the batches and their state, the
// orders being followed, the numbers the API excluded, per-row history and
// export cursors.
//
// Done means durably written: every method that writes commits (WAL,
// synchronous=FULL) before it returns, so a row or batch the pipeline has
// been told is recorded survives a crash or a SIGKILL of the process. The
// exactly-once protocol rests on two of them:
//
//   - [Store.MarkSent] commits the intent (state "sent", attempts+1, the
//     request hash) BEFORE the request goes out;
//   - [Store.Finish] commits the batch's final state and every row's outcome
//     in ONE transaction.
//
// A batch found "sent" on resume was sent without a recorded outcome: it is
// in doubt and must be reconciled against the API before anything is sent
// again.
//
// Concurrency: a Store is safe for use by many goroutines. Writes go through
// a single connection (one writer, as SQLite wants it); reads use a small
// pool of read-only connections and, thanks to WAL, never block the writer
// nor wait for it. While a [Plan] is open it holds the writer connection, so
// other writes wait until it commits or rolls back (reads do not).
//
// Files: state.db and its -wal and -shm side files are created with mode
// 0600; they hold customer data (numbers, addresses), never credentials.
//
// Planning is bulk: [Plan] inserts rows and batches in large transactions
// (a commit every 5,000 rows and at [Plan.Commit]); [Plan.SeenKey] finds a
// duplicate key through an index, so duplicate detection needs no memory
// proportional to the manifest. [Store.Rows] and [Store.Excluded] stream in
// pages, each page its own short read, so a long iteration (writing the
// results file of a 1,000,000-row run) holds no read transaction open.
//
// Per-row cost: every manifest row is recorded once, given an outcome at
// least once and read back at least once, so the rows table is built for
// it (schema 7, codec.go): a read selects two blobs that hold all of a row,
// an undecided row is recorded with four parameters, an outcome with four,
// and the statements run per batch or per step are prepared once when the
// store opens (prepared.go). The columns SQL needs (key, batch, status,
// code, message) repeat what the blobs say; every write sets both.
// BenchmarkRowPhases and BenchmarkEndScans measure it.
package checkpoints
