package exports

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// pagedState is the cursor of a page/size listing: the last page written.
type pagedState struct {
	Page int  `json:"page"`
	Done bool `json:"done"`
}

// pagedSource walks a page/size listing. A page is the last when it is
// empty, when page ≥ totalPages, or (without totalPages) when it is short.
type pagedSource struct {
	size  int
	fetch func(ctx context.Context, page, size int) (rows [][]string, totalPages inteliquent.FlexInt, err error)
	st    pagedState
}

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
	rows, tp, err := s.fetch(ctx, n, s.size)
	if err != nil {
		return Page{Requests: 1}, false, fmt.Errorf("page %d: %w", n, err)
	}
	s.st.Page = n
	s.st.Done = len(rows) == 0 || (tp.Valid && int64(n) >= tp.N) || (!tp.Valid && len(rows) < s.size)
	return Page{Rows: rows, Requests: 1}, s.st.Done, nil
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
