package exports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// pagedState is the cursor of a page/size listing: the last page written,
// a digest of its rows (to recognise an answer that repeats it) and the
// last totalPages the API gave.
type pagedState struct {
	Page       int    `json:"page"`
	Done       bool   `json:"done"`
	PrevDigest string `json:"prev_digest,omitempty"`
	TotalPages int64  `json:"total_pages,omitempty"`
}

// pagedSource walks a page/size listing. A page is the last when it is
// empty, when page ≥ totalPages, or (without totalPages) when it is short.
// It reads the answers strictly: a page whose rows are the previous page's
// rows again (the API ignoring page, or answering page 1 of 117 every time)
// is asked for again a bounded number of times and never written twice;
// an empty page before the totalPages the API announced is not the end.
// Either ends the export with an error that --resume continues.
type pagedSource struct {
	size  int
	fetch func(ctx context.Context, page, size int) (rows [][]string, totalPages inteliquent.FlexInt, err error)
	st    pagedState
}

// maxRepeats bounds how often a page that repeats the previous one, or
// that comes back empty before totalPages, is asked for again.
const maxRepeats = 2

// ErrNoProgress marks a listing whose answers do not advance: pages that
// repeat, a scroll that stays on one page, a totalPages the rows never
// reach. Nothing repeated is written; the export is resumable.
var ErrNoProgress = errors.New("the listing does not advance")

func newPaged(size int, state json.RawMessage, fetch func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error)) (*pagedSource, error) {
	s := &pagedSource{size: size, fetch: fetch}
	if err := decodeState(state, &s.st); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *pagedSource) Next(ctx context.Context) (Page, bool, error) {
	if s.st.Done {
		return Page{}, true, nil
	}
	n := s.st.Page + 1
	var pg Page
	for attempt := 0; ; attempt++ {
		rows, tp, err := s.fetch(ctx, n, s.size)
		pg.Requests++
		if err != nil {
			return pg, false, fmt.Errorf("page %d: %w", n, err)
		}
		digest := rowsDigest(rows)
		var problem string
		switch {
		case len(rows) > 0 && s.st.PrevDigest != "" && digest == s.st.PrevDigest:
			problem = fmt.Sprintf("page %d repeats page %d (the same %d rows)", n, n-1, len(rows))
		case len(rows) == 0 && n > 1 && tp.Valid && int64(n) <= tp.N:
			problem = fmt.Sprintf("page %d of %d is empty: the rows never reach the totalPages the API announced", n, tp.N)
		case len(rows) == 0 && !tp.Valid && s.st.TotalPages > 0 && int64(n) <= s.st.TotalPages:
			problem = fmt.Sprintf("page %d is empty before page %d, the totalPages the API announced", n, s.st.TotalPages)
		}
		if problem != "" {
			if attempt < maxRepeats {
				continue
			}
			return pg, false, fmt.Errorf("%w: %s, %d times; nothing of it was written", ErrNoProgress, problem, attempt+1)
		}
		s.st.Page = n
		s.st.PrevDigest = digest
		if tp.Valid {
			s.st.TotalPages = tp.N
		}
		s.st.Done = len(rows) == 0 || (tp.Valid && int64(n) >= tp.N) || (!tp.Valid && len(rows) < s.size)
		pg.Rows = rows
		return pg, s.st.Done, nil
	}
}

// rowsDigest identifies a page's rows ("" for none).
func rowsDigest(rows [][]string) string {
	if len(rows) == 0 {
		return ""
	}
	h := sha256.New()
	for _, r := range rows {
		for _, c := range r {
			_, _ = io.WriteString(h, c)
			_, _ = h.Write([]byte{0})
		}
		_, _ = h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *pagedSource) State() (json.RawMessage, error) { return json.Marshal(s.st) }

// oneShot is a listing answered in one response.
type oneShot struct {
	fetch func(ctx context.Context) ([][]string, error)
	st    pagedState
}

func newOneShot(state json.RawMessage, fetch func(ctx context.Context) ([][]string, error)) (*oneShot, error) {
	s := &oneShot{fetch: fetch}
	if err := decodeState(state, &s.st); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *oneShot) Next(ctx context.Context) (Page, bool, error) {
	if s.st.Done {
		return Page{}, true, nil
	}
	rows, err := s.fetch(ctx)
	if err != nil {
		return Page{Requests: 1}, false, err
	}
	s.st = pagedState{Page: 1, Done: true}
	return Page{Rows: rows, Requests: 1}, true, nil
}

func (s *oneShot) State() (json.RawMessage, error) { return json.Marshal(s.st) }

func decodeState(state json.RawMessage, v any) error {
	if len(state) == 0 {
		return nil
	}
	if err := json.Unmarshal(state, v); err != nil {
		return fmt.Errorf("export cursor: %w", err)
	}
	return nil
}

// yn maps a flag value to the guide's Y/N.
var ynEnum = []string{"Y", "N"}
