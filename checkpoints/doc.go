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
// a single connection (one writer, as SQLite wants it), grouped: the writes
// waiting when a transaction commits share it, each in its own savepoint;
// reads use a small pool of read-only connections and, thanks to WAL, never
// block the writer nor wait for it.
//
// Files: state.db and its -wal and -shm side files are created with mode
// 0600; they hold customer data (numbers, addresses), never credentials.
//
// Planning is streamed: [Store.AppendPlan] records a step of rows and the
// batches they open or fill in one write while the engine already sends
// the batches that are full; [Keys] finds duplicate keys with a fixed-size
// Bloom filter in front of the keys table, so duplicate detection needs no
// memory proportional to the manifest. [Store.Rows] and [Store.Excluded]
// stream in pages, each page its own short read, so a long iteration
// (writing the results file of a 1,000,000-row run) holds no read
// transaction open.
//
// Per-row cost: every manifest row is recorded once, given an outcome at
// least once and read back at least once, so rows are kept in chunks
// (schema 8, chunks.go): the consecutive rows of one batch in one record,
// their outcomes run-length encoded, so a batch is one insert, one read and
// one update, and a batch decided as a whole one run. The statements run
// per batch or per step are prepared once when the store opens
// (prepared.go). BenchmarkRowPhases and BenchmarkEndScans measure it.
package checkpoints
