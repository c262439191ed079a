// Package cli holds iqbulk's commands. Each command parses its flags into an
// options struct and calls the packages that do the work; no business logic
// lives here.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/iqbulk/iqbulk/readers"
)

// Exit codes, as documented in the README and DESIGN.md.
const (
	ExitOK          = 0 // every row ok
	ExitRowsNotOK   = 1 // some rows not ok
	ExitUsage       = 2 // usage, configuration or manifest error: nothing sent
	ExitInterrupted = 3 // interrupted, resumable
)

// Version is set at build time with -ldflags "-X github.com/iqbulk/iqbulk/cli.Version=...".
var Version = "dev"

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so Main exits with code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// env is what every command gets from Main: streams and the environment lookup,
// so tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// quiet (--quiet on every command) drops progress and notices; warnings
	// and errors still go to stderr. profile is --profile (config.go).
	quiet   bool
	profile string
	prof    *profileState // the settings applied (config.go)
	runsDir string        // where new runs go: the profile's out_dir, default runs
}

// Main runs the iqbulk command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stop := startProfiles(osGetenv, stderr)
	defer stop()
	return run(context.Background(), args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv})
}

func run(ctx context.Context, args []string, e *env) (code int) {
	defer recoverPanic(e, &code)
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var xe *exitError
	if errors.As(err, &xe) {
		if xe.err != nil {
			fmt.Fprintln(e.stderr, "iqbulk:", xe.err)
		}
		return xe.code
	}
	fmt.Fprintln(e.stderr, "iqbulk:", err)
	return ExitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "iqbulk",
		Short:         "Bulk batch/ETL job runner for the Inteliquent Services API",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(suggestFlag)
	addGlobalFlags(root, e) // --quiet, --profile (config.go)
	root.AddCommand(newPlanCmd(e), newReportCmd(e), newRunsCmd(e), newConfigCmd(e))
	root.AddCommand(newVersionCmd(e), newJobsCmd(e), newTemplateCmd(e), newRunCmd(e), newResumeCmd(e), newStatusCmd(e), newFollowCmd(e), newSandboxCmd(e), newExportCmd(e))
	root.AddCommand(newOpsCmd(e), newCheckCmd(e), newUndoCmd(e))
	return root
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print iqbulk's version, module and source revision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(e.stdout, versionString())
			return nil
		},
	}
}

// versionString reads the version from the binary's build information: the
// module version (set by go install module@version), the VCS revision and
// time (set by go build in a checkout), and the Go version. -ldflags -X
// .../cli.Version=... still takes precedence over the module version.
func versionString() string {
	v, path, rev, modified, when := Version, "github.com/iqbulk/iqbulk", "", false, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path != "" {
			path = bi.Main.Path
		}
		if v == "dev" && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	out := fmt.Sprintf("iqbulk %s (%s", v, path)
	if rev != "" {
		out += ", revision " + rev
		if when != "" {
			out += " " + when
		}
		if modified {
			out += ", modified"
		}
	} else {
		out += ", no VCS revision recorded"
	}
	return out + ", " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// suggestFlag adds "did you mean --X?" to an unknown-flag error.
func suggestFlag(cmd *cobra.Command, err error) error {
	msg := err.Error()
	const prefix = "unknown flag: --"
	if !strings.HasPrefix(msg, prefix) {
		return err
	}
	name := strings.TrimPrefix(msg, prefix)
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if s := readers.Suggest(name, names); s != "" {
		return fmt.Errorf("%w; did you mean --%s?", err, s)
	}
	return err
}
