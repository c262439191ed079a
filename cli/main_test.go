package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the iqbulk binary: with
// IQBULK_AS_MAIN=1 it runs the command line given after "--" and exits, so
// crash tests can run (and SIGKILL) real iqbulk processes without a build step.
func TestMain(m *testing.M) {
	if os.Getenv("IQBULK_AS_MAIN") == "1" {
		TuneGC = true // as main.go does
		args := os.Args
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(Main(args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// result is what an in-process command run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process with the given environment.
func runCLI(t *testing.T, envs map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return envs[k] }}
	code := run(context.Background(), args, e)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}
