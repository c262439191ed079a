package checkpoints

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Reason is one reason rows ended with a status: the status, the code and
// message the rows share, how many rows carry it and the first few of them.
type Reason struct {
	Status   string
	Code     string
	Message  string
	Rows     int
	Examples []Example
}

// Example is a row that carries a reason: its manifest line and key.
type Example struct {
	Line int
	Key  string
}

// Reasons groups the rows of the given statuses by (status, code, message),
// largest groups first, at most limit groups per status, each with up to
// examples example rows. It reads in SQL, so memory is O(groups returned),
// and in one pass over the rows for every status (then one short read per
// group returned, for its examples).
func (s *Store) Reasons(ctx context.Context, limit, examples int, statuses ...string) ([]Reason, error) {
	if len(statuses) == 0 || limit == 0 {
		return nil, nil
	}
	if limit < 0 {
		limit = math.MaxInt32 // as SQL's LIMIT -1: no limit
	}
	args := make([]any, 0, len(statuses)+1)
	for _, st := range statuses {
		args = append(args, st)
	}
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, `SELECT status, code, message, n FROM (
			SELECT status, code, message, COUNT(*) AS n, MIN(seq) AS first,
				ROW_NUMBER() OVER (PARTITION BY status ORDER BY COUNT(*) DESC, MIN(seq)) AS rank
			FROM rows WHERE status IN (?`+strings.Repeat(", ?", len(statuses)-1)+`) GROUP BY status, code, message)
		WHERE rank <= ? ORDER BY status, rank`, args...)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: reasons: %w", err)
	}
	byStatus := map[string][]Reason{}
	for rows.Next() {
		var r Reason
		if err := rows.Scan(&r.Status, &r.Code, &r.Message, &r.Rows); err != nil {
			rows.Close()
			return nil, fmt.Errorf("checkpoints: reasons: %w", err)
		}
		byStatus[r.Status] = append(byStatus[r.Status], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: reasons: %w", err)
	}
	var out []Reason
	for _, st := range statuses {
		group := slices.Clone(byStatus[st])
		for i := range group {
			if group[i].Examples, err = s.examples(ctx, group[i], examples); err != nil {
				return nil, err
			}
		}
		out = append(out, group...)
	}
	return out, nil
}

func (s *Store) examples(ctx context.Context, r Reason, n int) ([]Example, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT data, key FROM rows WHERE status = ? AND code = ? AND message = ?
		ORDER BY seq LIMIT ?`, r.Status, r.Code, r.Message, n)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: reason examples: %w", err)
	}
	defer rows.Close()
	var out []Example
	for rows.Next() {
		var (
			x    Example
			data sql.RawBytes
		)
		if err := rows.Scan(&data, &x.Key); err != nil {
			return nil, fmt.Errorf("checkpoints: reason examples: %w", err)
		}
		if x.Line, err = decodeLine(data); err != nil {
			return nil, fmt.Errorf("checkpoints: reason examples: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// BatchTiming is when a batch was decided and how many rows it held: the
// durable record of rows per second over a run.
type BatchTiming struct {
	SentAt, DoneAt time.Time
	Rows           int
}

// DoneTimes returns every decided batch's send and done times, in done
// order (a 100,000-row run has about 1,000).
func (s *Store) DoneTimes(ctx context.Context) ([]BatchTiming, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT sent_at, done_at, rows FROM batches WHERE done_at != '' ORDER BY done_at`)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: done times: %w", err)
	}
	defer rows.Close()
	var out []BatchTiming
	for rows.Next() {
		var (
			sent, done string
			b          BatchTiming
		)
		if err := rows.Scan(&sent, &done, &b.Rows); err != nil {
			return nil, fmt.Errorf("checkpoints: done times: %w", err)
		}
		b.SentAt, _ = parseTime(sent)
		if b.DoneAt, err = parseTime(done); err != nil {
			continue
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
