package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/writers"
)

// outputOptions say what a run, resume or follow prints on stdout: the
// terminal summary (default), the summary as one JSON object (--json), or
// only the run directory (--print-dir, for dir=$(iqbulk run … --print-dir)).
// Logs, warnings and progress always go to stderr; the global --quiet drops
// the progress and the notices there, leaving warnings and errors.
type outputOptions struct {
	JSON     bool
	PrintDir bool
	// plan, set by iqbulk plan: print the dry run's plan instead of the
	// summary (as text, or JSON with JSON), with the first show bodies.
	plan bool
	show int
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.JSON, "json", false, "print the summary as one JSON object on stdout (the summary.json object; schema: docs/schema/summary.schema.json); logs stay on stderr")
	f.BoolVar(&o.PrintDir, "print-dir", false, "print only the run directory on stdout, for dir=$(iqbulk run … --print-dir)")
	cmd.MarkFlagsMutuallyExclusive("json", "print-dir")
}

// announce prints the run directory as a run starts.
func (o outputOptions) announce(e *env, dir string) {
	switch {
	case o.PrintDir:
		fmt.Fprintln(e.stdout, dir)
	case o.JSON || o.plan:
	default:
		fmt.Fprintf(e.stdout, "run dir: %s\n", dir)
	}
}

// print prints how the run ended.
func (o outputOptions) print(e *env, rep *pipeline.Report) error {
	switch {
	case o.PrintDir:
		return nil
	case o.plan:
		if rep.Plan == nil {
			return fmt.Errorf("no plan was made")
		}
		if o.JSON {
			return writeJSON(e.stdout, rep.Plan)
		}
		rep.Plan.WriteText(e.stdout, o.show)
		return nil
	case o.JSON:
		return printSummaryJSON(e.stdout, rep)
	}
	printReport(e.stdout, rep)
	return nil
}

// printOrWarn prints how the run ended; a summary that cannot be printed is
// said on stderr: by then the run's own exit code tells what happened.
func (o outputOptions) printOrWarn(e *env, rep *pipeline.Report) {
	if err := o.print(e, rep); err != nil {
		fmt.Fprintln(e.stderr, "iqbulk:", err)
	}
}

// text says whether free-form lines may go to stdout.
func (o outputOptions) text(*env) bool { return !o.PrintDir && !o.JSON && !o.plan }

// printSummaryJSON prints the run's summary.json as one line: the same
// object the file holds.
func printSummaryJSON(w io.Writer, rep *pipeline.Report) error {
	data, err := os.ReadFile(filepath.Join(rep.Dir, rep.Files.Summary))
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	var s writers.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return writeJSON(w, s)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// statusSummary is status --json: the summary.json object of the run as the
// checkpoint has it now; the request counters come from the last
// summary.json written, when there is one (the checkpoint does not keep them).
func statusSummary(rep *pipeline.Report) writers.Summary {
	var opts pipeline.Options
	_ = json.Unmarshal(rep.Run.Options, &opts)
	rep.Started, rep.Finished = rep.Run.CreatedAt, rep.Run.UpdatedAt
	s := pipeline.SummaryOf(rep, opts.DryRun)
	if data, err := os.ReadFile(filepath.Join(rep.Dir, rep.Files.Summary)); err == nil {
		var last writers.Summary
		if json.Unmarshal(data, &last) == nil {
			s.Requests, s.Retries, s.Throttled = last.Requests, last.Retries, last.Throttled
		}
	}
	return writers.NormalizeSummary(s)
}
