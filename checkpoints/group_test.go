package checkpoints

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// Writes from many goroutines share commits, and one that fails (an
// unknown batch) is rolled back alone: every other write of its group is
// committed, and reopening the file shows exactly those.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	plan(t, s, 400, 10) // batches 1..40
	const workers = 8
	var wg sync.WaitGroup
	errs := make([]error, 41)
	for w := range workers {
		wg.Go(func() {
			for id := int64(w + 1); id <= 41; id += workers {
				errs[id-1] = s.MarkSent(ctx, id, "h") // 41 is unknown
			}
		})
	}
	wg.Wait()
	for id := 1; id <= 40; id++ {
		require.NoError(t, errs[id-1], "batch %d", id)
	}
	assert.ErrorIs(t, errs[40], ErrNotFound)
	commits, writes := s.Commits()
	assert.LessOrEqual(t, commits, writes)
	assert.GreaterOrEqual(t, writes, int64(41))

	require.NoError(t, s.Close())
	s2, err := Open(ctx, path)
	require.NoError(t, err)
	defer s2.Close()
	sent, err := s2.Batches(ctx, record.BatchSent)
	require.NoError(t, err)
	assert.Len(t, sent, 40)
}

// A write whose context is cancelled before its group commits is left out
// with the context's error; the group's other writes commit.
func TestGroupCommitCancelledWrite(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 20, 10)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	err := s.MarkSent(cancelled, 1, "h")
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	require.NoError(t, s.MarkSent(ctx, 2, "h"))
	b1, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchPlanned, b1.State)
	b2, err := s.Batch(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, record.BatchSent, b2.State)
}
