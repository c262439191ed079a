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

// sandboxGCPercent is the collector of `iqbulk sandbox`: its heap is mostly
// the account (every number's record), live for the whole process, so
// collecting each time the heap doubles marks the same account again and
// again under load. It collects at five times its live heap instead, with
// no limit (the account is what it holds).
const sandboxGCPercent = 400

// tuneSandboxGC sets a served sandbox's collector, unless the process is
// not the iqbulk binary or the user set GOGC or GOMEMLIMIT; it reports
// whether it did.
func tuneSandboxGC() bool {
	if !TuneGC || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetGCPercent(sandboxGCPercent)
	return true
}
