package cli

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

func newJobsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "jobs [KIND]",
		Short: "List job kinds (or one), their API operations and manifest columns",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kinds := jobs.Default().All()
			if len(args) == 1 {
				job, err := lookupJob(args[0])
				if err != nil {
					return withCode(ExitUsage, err)
				}
				kinds = []jobs.Job{job}
			}
			for i, j := range kinds {
				s := j.Spec()
				if i > 0 {
					fmt.Fprintln(e.stdout)
				}
				flags := []string{fmt.Sprintf("up to %d numbers per request", s.BatchSize)}
				if s.Destructive {
					flags = append(flags, "DESTRUCTIVE: needs --yes outside the sandbox")
				}
				if s.Idempotent() {
					flags = append(flags, "idempotent")
				} else {
					flags = append(flags, "not idempotent: reconciled on resume")
				}
				fmt.Fprintf(e.stdout, "%s — %s\n  operations: %s\n  %s\n  columns:\n", s.Name, s.Summary, strings.Join(s.Operations, ", "), strings.Join(flags, "; "))
				tw := tabwriter.NewWriter(e.stdout, 4, 4, 2, ' ', 0)
				for _, c := range s.Columns {
					req := "optional"
					if c.Required {
						req = "required"
					}
					aliases := ""
					if len(c.Aliases) > 0 {
						aliases = "(also: " + strings.Join(c.Aliases, ", ") + ")"
					}
					fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", c.Name, req, c.Help, aliases)
				}
				tw.Flush()
				if len(s.Outputs) > 0 {
					fmt.Fprintf(e.stdout, "  result columns: %s\n", strings.Join(s.Outputs, ", "))
				}
			}
			return nil
		},
	}
}

func newTemplateCmd(e *env) *cobra.Command {
	var (
		out   string
		force bool
	)
	cmd := &cobra.Command{
		Use:   "template JOB",
		Short: "Write a manifest with the job's headers and an example row (.csv or .xlsx by extension)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			job, err := lookupJob(args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if out == "" {
				out = args[0] + ".csv"
			}
			if _, err := os.Stat(out); err == nil && !force {
				return withCode(ExitUsage, fmt.Errorf("%s exists; pass --force to replace it, or -o another file", out))
			}
			format, err := writers.FormatFromPath(out)
			if err != nil || format == "jsonl" {
				return withCode(ExitUsage, fmt.Errorf("-o %s: want a .csv or .xlsx file", out))
			}
			s := job.Spec()
			header := make([]string, len(s.Columns))
			example := make([]string, len(s.Columns))
			for i, c := range s.Columns {
				header[i], example[i] = c.Name, c.Example
			}
			w, err := writers.Create(out, format, writers.WithSheet(s.Name))
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if err := w.WriteHeader(header); err != nil {
				return err
			}
			if err := w.WriteRow(example); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "file to write (default JOB.csv)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the file if it exists")
	return cmd
}

func newStatusCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status RUN_DIR",
		Short: "Print a run's counts per outcome and batch state",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := pipeline.Status(cmd.Context(), args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if asJSON {
				return writeJSON(e.stdout, statusSummary(rep))
			}
			fmt.Fprintf(e.stdout, "run %s (%s), state %s, endpoint %s\n", rep.Run.ID, rep.Run.Job, rep.Run.State, rep.Run.Endpoint)
			printReport(e.stdout, rep)
			fmt.Fprintf(e.stdout, "%-10s %8s\n", "batches", "")
			for _, s := range record.BatchStates() {
				if n := rep.Batches[s]; n > 0 {
					fmt.Fprintf(e.stdout, "%-10s %8d\n", s, n)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the run's summary as one JSON object (schema: docs/schema/summary.schema.json)")
	return cmd
}
