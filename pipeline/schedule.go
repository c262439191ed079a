package pipeline

import (
	"container/heap"
	"sync"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
)

// task is one batch on its way through the runner.
type task struct {
	batch checkpoints.Batch
	// rounds counts the reconciliations this process has made for it.
	rounds int
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
}

func newScheduler(batches []checkpoints.Batch) *scheduler {
	s := &scheduler{ready: make([]task, len(batches)), open: len(batches), wake: make(chan struct{}, 1)}
	for i, b := range batches {
		s.ready[i] = task{batch: b}
	}
	return s
}

// next returns a task to run now; or, when none is ready, how long until the
// next one is due (0: until told); or finished when every batch settled.
func (s *scheduler) next(now time.Time) (t task, ok bool, wait time.Duration, finished bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ready) > 0 {
		t, s.ready = s.ready[0], s.ready[1:]
		return t, true, 0, false
	}
	if len(s.wait) > 0 {
		if d := s.wait[0].due.Sub(now); d > 0 {
			return task{}, false, d, false
		}
		return heap.Pop(&s.wait).(due).task, true, 0, false
	}
	return task{}, false, 0, s.open == 0
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
