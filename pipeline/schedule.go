package pipeline

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/record"
)

// task is one batch on its way through the runner.
type task struct {
	batch checkpoints.Batch
	// rounds counts the reconciliations this process has made for it.
	rounds int
	// rows are the batch's rows when the planner handed it over with them
	// (nil: the runner reads them from the checkpoint).
	rows []record.Row
	// handed: this process's planner handed the batch over and this is
	// the first time it is processed, so no snapshot of its rows can exist
	// yet (the planner recorded them; nothing took a snapshot since).
	handed bool
	// fresh: handed over by the planner and not taken yet (it holds a
	// place in room).
	fresh bool
}

// scheduler orders the runner's work: batches not yet handled, in plan
// order, then batches waiting for their settle window, each when it is due.
// It knows when every batch has settled (reached where this process leaves
// it), which ends the run.
type scheduler struct {
	mu    sync.Mutex
	ready []task
	wait  dueHeap
	open  int // batches not settled: ready, waiting or in a worker
	wake  chan struct{}
	// planning: the planner may still hand over batches (add), so the run
	// is not finished even when every batch it knows has settled.
	planning bool
	// room holds a place for every batch handed over and not taken yet:
	// add waits while it is full.
	room chan struct{}
	// closed closes when the runner takes no more batches (stopped, or
	// halted): add then takes none either, and the planner plans on
	// without sending, so the results show every row.
	closed    chan struct{}
	closeOnce sync.Once
}

func newScheduler(batches []checkpoints.Batch, planning bool, ahead int) *scheduler {
	s := &scheduler{ready: make([]task, len(batches)), open: len(batches), wake: make(chan struct{}, 1),
		planning: planning, room: make(chan struct{}, ahead), closed: make(chan struct{})}
	for i, b := range batches {
		s.ready[i] = task{batch: b}
	}
	return s
}

// add takes a batch the planner has committed, after those ready, waiting
// while as many as room holds are handed over and not taken yet.
func (s *scheduler) add(ctx context.Context, b checkpoints.Batch, rows []record.Row) error {
	select {
	case s.room <- struct{}{}:
	case <-s.closed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		<-s.room
		return nil
	default:
	}
	s.ready = append(s.ready, task{batch: b, rows: rows, fresh: true})
	s.open++
	s.mu.Unlock()
	s.signal()
	return nil
}

// close records that the runner takes no more batches.
func (s *scheduler) close() { s.closeOnce.Do(func() { close(s.closed) }) }

// planned records that the planner will hand over nothing more.
func (s *scheduler) planned() {
	s.mu.Lock()
	s.planning = false
	s.mu.Unlock()
	s.signal()
}

// hungry reports whether the workers are short of batches, so the planner
// commits what it has at once rather than a larger step.
func (s *scheduler) hungry() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ready) < 2
}

// next returns a task to run now; or, when none is ready, how long until the
// next one is due (0: until told); or finished when every batch settled.
func (s *scheduler) next(now time.Time) (t task, ok bool, wait time.Duration, finished bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ready) > 0 {
		t = s.ready[0]
		s.ready[0] = task{} // its rows are the worker's now
		s.ready = s.ready[1:]
		if t.fresh {
			t.fresh = false
			<-s.room
		}
		return t, true, 0, false
	}
	if len(s.wait) > 0 {
		if d := s.wait[0].due.Sub(now); d > 0 {
			return task{}, false, d, false
		}
		return heap.Pop(&s.wait).(due).task, true, 0, false
	}
	return task{}, false, 0, s.open == 0 && !s.planning
}

// later puts a task back, to run at the given time.
func (s *scheduler) later(t task, at time.Time) {
	s.mu.Lock()
	heap.Push(&s.wait, due{t, at})
	s.mu.Unlock()
	s.signal()
}

// done records that a batch has settled.
func (s *scheduler) done() {
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
	s.signal()
}

func (s *scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

type due struct {
	task task
	due  time.Time
}

type dueHeap []due

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(due)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
