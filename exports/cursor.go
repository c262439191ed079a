package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/writers"
)

// cursor is the checkpoint of an export in progress.
type cursor struct {
	Kind     string            `json:"kind"`
	Params   map[string]string `json:"params"`
	Format   writers.Format    `json:"format"`
	Start    time.Time         `json:"start,omitzero"`
	End      time.Time         `json:"end,omitzero"`
	Offset   int64             `json:"offset"`
	Rows     int64             `json:"rows"`
	Pages    int64             `json:"pages"`
	Restarts int64             `json:"restarts"`
	Started  time.Time         `json:"started"`
	State    json.RawMessage   `json:"state,omitempty"`
}

func isDone(state json.RawMessage) bool {
	var d struct {
		Done bool `json:"done"`
	}
	_ = json.Unmarshal(state, &d)
	return d.Done
}

func openStore(ctx context.Context, out string, resume bool) (*checkpoints.Store, error) {
	if !resume {
		removeState(out)
		if err := os.Remove(out + PartialSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("exports: %w", err)
		}
	}
	st, err := checkpoints.Open(ctx, out+StateSuffix)
	if err != nil {
		return nil, err
	}
	if err := st.Lock(); err != nil {
		st.Close()
		return nil, fmt.Errorf("exports: %s: %w", out, err)
	}
	return st, nil
}

func removeState(out string) {
	for _, s := range []string{"", "-wal", "-shm", ".lock"} {
		_ = os.Remove(out + StateSuffix + s)
	}
}

func saveCursor(ctx context.Context, st *checkpoints.Store, c cursor) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("exports: cursor: %w", err)
	}
	return st.SetCursor(ctx, cursorName, string(b))
}
