package cli

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// newPlanCmd is iqbulk plan: run --dry-run in a throwaway directory, then
// print the plan instead of the summary. It takes run's own flags (runCmd),
// goes through run's own code (session, pipeline.Start, the dry run in the
// client's do), and so reads, validates and checks references exactly as a
// run would.
func newPlanCmd(e *env) *cobra.Command {
	cmd, o := runCmd(e)
	var format string
	cmd.Use = "plan JOB MANIFEST [run flags]"
	cmd.Short = "Show what a run would send, to whom, and how long it would take; sends nothing"
	cmd.Long = `Read and validate the manifest exactly as run would (reference checks
included: they only read), send nothing that changes state, and print: the
endpoint and account, the rows by what would happen to them, the requests per
API operation and the numbers in them, the destructive operations, the
estimated duration at the rate given (and with --follow's follow-up), and the
first request bodies with the privateKey redacted.

It takes every run flag; run --dry-run writes the same plan into its run
directory (plan.json, plan.txt). Exit codes: 0 planned (whatever the rows);
2 usage, configuration or manifest error.`
	f := cmd.Flags()
	f.IntVar(&o.Output.show, "show", 1, "request bodies to print (text format)")
	f.StringVar(&format, "format", "text", "text, or json (the whole plan with every request body)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if cmd.Flags().Changed("out") || o.Output.PrintDir {
			return withCode(ExitUsage, fmt.Errorf("plan writes no run directory; use iqbulk run --dry-run --out DIR to keep one"))
		}
		switch format {
		case "text":
		case "json":
			o.Output.JSON = true
		default:
			return withCode(ExitUsage, fmt.Errorf("--format %q: want text or json", format))
		}
		tmp, err := os.MkdirTemp("", "iqbulk-plan-")
		if err != nil {
			return withCode(ExitUsage, err)
		}
		defer os.RemoveAll(tmp)
		o.S.JobOptions = jobOptionsFrom(cmd)
		o.S.DryRun, o.Out, o.Output.plan, o.S.EmitManifest = true, filepath.Join(tmp, "run"), true, ""
		return runJob(cmd.Context(), e, cmd, args[0], args[1], *o)
	}
	return cmd
}

// planRecorder returns the recorder of a dry run's requests and hooks it to
// the client; nil (and no hook) when the run sends for real.
func planRecorder(o *runOptions, co *connectOptions) *pipeline.PlanRecorder {
	if !o.S.DryRun {
		return nil
	}
	rec := &pipeline.PlanRecorder{Settings: pipeline.PlanSettings{Rate: o.S.Rate, Burst: o.S.Burst, Concurrency: o.S.Concurrency}}
	co.onDryRun = rec.Record
	return rec
}

// accountOf says whom a connection acts for without giving the key away:
// the last four characters of a key long enough to keep the rest secret.
func accountOf(c *connection, key string) string {
	if c.Embedded && key == sandbox.DemoKey {
		return "the embedded sandbox's demo account"
	}
	return "API key " + maskSecret(key)
}

// maskSecret shows at most the last four characters of a secret of 16 or
// more, nothing of a shorter one.
func maskSecret(s string) string {
	switch {
	case s == "":
		return "(not set)"
	case len(s) >= 16:
		return "****" + s[len(s)-4:]
	}
	return "****"
}

// progressFor is the progress display: none with --quiet.
func progressFor(e *env) pipeline.Progress {
	if e.quiet {
		return nil
	}
	return pipeline.NewProgress(e.stderr, isTerminal(e.stderr), slog.New(slog.NewTextHandler(e.stderr, nil)), 10*time.Second)
}

// reasonSuffix is the terminal's reasons for a status: " — TN is already
// assigned to this customer (5)".
func reasonSuffix(rep *pipeline.Report, status string) string {
	if status == record.StatusOK {
		return ""
	}
	if l := pipeline.ReasonLine(rep.Reasons, status); l != "" {
		return " — " + strings.TrimSpace(l)
	}
	return ""
}
