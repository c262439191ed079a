package checkpoints

import (
	"context"
	"database/sql"
	"fmt"
)

// The store prepares its hot statements once, when it opens, rather than
// at every use: database/sql runs a query given as text by preparing it on
// the connection, running it and finalizing it, and for the short
// statements a write is made of (SAVEPOINT, an UPDATE of one batch) the
// preparing cost more than the running. The writer's are prepared before
// any transaction takes its one connection; a transaction runs one with
// Tx.StmtContext, which reuses the connection's prepared statement.

// writeQueries are the writer's prepared statements.
func writeQueries() []string {
	return []string{
		"SAVEPOINT w", "RELEASE w", "ROLLBACK TO w",
		maxSeqQuery, insertChunkQuery, insertKeysN, chunkAtQuery, updateChunkQuery,
		upsertBatchQuery, finishBatchQuery, markSentQuery,
		putSetQuery,
	}
}

// readQueries are the readers' prepared statements.
func readQueries() []string {
	return []string{batchChunksQuery, chunkDataAtQuery, chunkPageQuery, chunkPageUpToQuery, chunkStartQuery, nextUnfinalQuery, maxSeqQuery, keyLineQuery, batchQuery}
}

func prepare(ctx context.Context, db *sql.DB, queries []string) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(queries))
	for _, q := range queries {
		if m[q] != nil {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			for _, st := range m {
				_ = st.Close()
			}
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		m[q] = st
	}
	return m, nil
}

// exec runs a write statement in tx, prepared if it is one of
// writeQueries.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.wstmts[query]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// query runs a read, prepared if it is one of readQueries.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.rstmts[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}

// queryRow is query for one row.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.rstmts[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}
