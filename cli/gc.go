package cli

import (
	"os"
	"runtime/debug"
	"sync"
)

// A run's heap is mostly short-lived answers and rows on their way to the
// checkpoint, its live part bounded by the planner's look-ahead (~40 MB at
// --concurrency 64). Go's default (GOGC=100) collects every time the heap
// doubles; at --rate 1000 that was 8% of the process's CPU. A run collects
// at three times the live heap instead, under a soft limit that keeps the
// peak RSS of a 1,000,000-row run under 150 MB (docs/performance.md).
const (
	runGCPercent   = 200
	runMemoryLimit = 100 << 20 // bytes, Go's own memory (the heap and its runtime)
)

var (
	tuneGCOnce sync.Once
	gcTuned    bool // this process set runGCPercent and runMemoryLimit
)

// TuneGC is set by the iqbulk binary (main.go): a process that is one
// command may tune its collector for a run. Tests that run many commands
// and sandboxes in one process leave it false.
var TuneGC bool

// tuneGC sets the run's collector, once per process, unless the process is
// not the iqbulk binary (TuneGC), the user set GOGC or GOMEMLIMIT (theirs
// win), or the run talks to the embedded sandbox (its whole account lives
// in the same heap, which the limit would make the collector chase). It
// reports whether this process's collector runs at runGCPercent under
// runMemoryLimit.
func tuneGC(embedded bool) bool {
	if !TuneGC || embedded {
		return false
	}
	tuneGCOnce.Do(func() {
		if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
			debug.SetGCPercent(runGCPercent)
			debug.SetMemoryLimit(runMemoryLimit)
			gcTuned = true
		}
	})
	return gcTuned
}
