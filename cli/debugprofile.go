package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes Go profiles of the whole process for performance
// work, when the environment asks for them (a debugging aid, not a user
// setting: bench scripts and docs/performance.md use it):
//
//	IQBULK_CPUPROFILE=FILE   CPU profile from start to exit (go tool pprof FILE)
//	IQBULK_MEMPROFILE=FILE   heap profile (allocations) written at exit
//
// It works for every command, `iqbulk sandbox` (stopped with SIGINT or
// SIGTERM) as well as `iqbulk run`. The returned function stops and writes
// them; it is safe to call when no profile was asked for.
func startProfiles(getenv func(string) string, stderr io.Writer) (stop func()) {
	cpuPath, memPath := getenv("IQBULK_CPUPROFILE"), getenv("IQBULK_MEMPROFILE")
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err == nil {
			err = pprof.StartCPUProfile(f)
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "iqbulk: IQBULK_CPUPROFILE:", err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				fmt.Fprintln(stderr, "iqbulk: IQBULK_CPUPROFILE:", err)
			}
		}
		if memPath != "" {
			runtime.GC()
			f, err := os.Create(memPath)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				fmt.Fprintln(stderr, "iqbulk: IQBULK_MEMPROFILE:", err)
			}
		}
	}
}
