package checkpoints

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
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
// largest groups first (then by their first row), at most limit groups per
// status (all when limit < 0), each with up to examples example rows. It
// reads the chunks' outcomes (a few runs per chunk) and holds at most
// maxReasonGroups groups: past that (a message naming each row), it counts
// the groups in parts, one pass over the outcomes per part, each part the
// groups whose hash falls in it, so the counts stay exact and memory stays
// bounded.
func (s *Store) Reasons(ctx context.Context, limit, examples int, statuses ...string) ([]Reason, error) {
	if len(statuses) == 0 || limit == 0 {
		return nil, nil
	}
	if limit < 0 {
		limit = math.MaxInt32
	}
	want := make(map[string]bool, len(statuses))
	for _, st := range statuses {
		want[st] = true
	}
	for parts := uint64(1); ; parts *= 8 {
		top, ok, err := s.reasonsInParts(ctx, want, limit, examples, parts)
		if err != nil {
			return nil, fmt.Errorf("checkpoints: reasons: %w", err)
		}
		if !ok {
			continue
		}
		var out []Reason
		for _, st := range statuses {
			for _, g := range top[st] {
				r := Reason{Status: g.status, Code: g.code, Message: g.message, Rows: g.n}
				for _, seq := range g.examples {
					row, found, err := rowAt(ctx, s.rstmts[chunkDataAtQuery], seq)
					if err != nil {
						return nil, fmt.Errorf("checkpoints: reason examples: %w", err)
					}
					if found {
						r.Examples = append(r.Examples, Example{Line: row.Line, Key: row.Key})
					}
				}
				out = append(out, r)
			}
		}
		return out, nil
	}
}

// maxReasonGroups is the most groups Reasons holds at once.
var maxReasonGroups = 100_000

// reasonGroup is one (status, code, message) being counted.
type reasonGroup struct {
	status, code, message string
	n, first              int
	examples              []int // Seqs
}

// reasonsInParts counts the groups in parts passes and keeps the top
// limit of each status; ok is false when a part held more than
// maxReasonGroups groups (count again in more parts).
func (s *Store) reasonsInParts(ctx context.Context, want map[string]bool, limit, examples int, parts uint64) (map[string][]*reasonGroup, bool, error) {
	seed := maphash.MakeSeed()
	top := map[string][]*reasonGroup{}
	for part := range parts {
		groups := map[[3]string]*reasonGroup{}
		for c, err := range s.chunkPages(ctx, allOutcomesQuery, 0, 0, scanChunkOutcomes) {
			if err != nil {
				return nil, false, err
			}
			runs, err := c.runs()
			if err != nil {
				return nil, false, err
			}
			seq := c.first
			for _, r := range runs {
				first := seq
				seq += r.n
				var o Outcome
				if err := decodeOutcome(r.enc, &o); err != nil {
					return nil, false, fmt.Errorf("row %d outcome: %w", first, err)
				}
				if !want[o.Status] {
					continue
				}
				key := [3]string{o.Status, o.Code, o.Message}
				if parts > 1 && maphash.String(seed, o.Status+"\x00"+o.Code+"\x00"+o.Message)%parts != part {
					continue
				}
				g := groups[key]
				if g == nil {
					if len(groups) >= maxReasonGroups {
						return nil, false, nil
					}
					g = &reasonGroup{status: o.Status, code: o.Code, message: o.Message, first: first}
					groups[key] = g
				}
				g.n += r.n
				for q := first; q < first+r.n && len(g.examples) < examples; q++ {
					g.examples = append(g.examples, q)
				}
			}
		}
		for _, g := range groups {
			top[g.status] = append(top[g.status], g)
		}
		for st, gs := range top {
			slices.SortFunc(gs, func(a, b *reasonGroup) int {
				if a.n != b.n {
					return b.n - a.n
				}
				return a.first - b.first
			})
			if len(gs) > limit {
				gs = gs[:limit]
			}
			top[st] = gs
		}
	}
	return top, true, nil
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
