package cli

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/record"
)

// runEntry is one line of iqbulk runs (and one object of runs --json).
type runEntry struct {
	Dir      string         `json:"dir"`
	RunID    string         `json:"run_id"`
	Job      string         `json:"job"`
	State    string         `json:"state"`
	Started  time.Time      `json:"started"`
	Updated  time.Time      `json:"updated"`
	Rows     int            `json:"rows"`
	Outcomes map[string]int `json:"outcomes"`
	Error    string         `json:"error,omitempty"`
}

func newRunsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "runs [DIR]",
		Short: "List the runs under a folder (default runs/) with job, state, start and outcome counts",
		Long: `List every run directory directly under DIR (default: runs/), oldest first:
its job, state (done, interrupted, running...), when it started and its rows
per outcome. The place to find yesterday's interrupted run; continue it with
iqbulk resume DIR/RUN. It only reads.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := e.newRunsDir()
			if len(args) == 1 {
				dir = args[0]
			}
			runs, err := listRuns(cmd, dir)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if asJSON {
				return writeJSON(e.stdout, runs)
			}
			if len(runs) == 0 {
				if !e.quiet {
					fmt.Fprintf(e.stderr, "iqbulk: no runs under %s\n", dir)
				}
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprint(tw, "RUN\tJOB\tSTATE\tSTARTED (UTC)\tROWS")
			for _, s := range record.Statuses() {
				fmt.Fprint(tw, "\t", strings.ToUpper(s))
			}
			fmt.Fprintln(tw)
			for _, r := range runs {
				if r.Error != "" {
					fmt.Fprintf(tw, "%s\t?\tunreadable: %s\n", r.Dir, r.Error)
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d", r.Dir, r.Job, r.State, r.Started.UTC().Format("2006-01-02 15:04:05"), r.Rows)
				for _, s := range record.Statuses() {
					fmt.Fprintf(tw, "\t%d", r.Outcomes[s])
				}
				fmt.Fprintln(tw)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as a JSON array")
	return cmd
}

// newRunsDir is the folder new runs go in: the profile's out_dir
// (or IQ_OUT_DIR), else runs/.
func (e *env) newRunsDir() string {
	if e.runsDir == "" {
		return "runs"
	}
	return e.runsDir
}

func listRuns(cmd *cobra.Command, dir string) ([]runEntry, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	runs := []runEntry{}
	for _, ent := range ents {
		path := filepath.Join(dir, ent.Name())
		if !ent.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(path, "state.db")); err != nil {
			continue
		}
		rep, err := pipeline.Status(cmd.Context(), path)
		if err != nil {
			runs = append(runs, runEntry{Dir: path, Error: err.Error()})
			continue
		}
		out := map[string]int{}
		for _, s := range record.Statuses() {
			out[s] = rep.Outcomes[s]
		}
		runs = append(runs, runEntry{Dir: path, RunID: rep.Run.ID, Job: rep.Run.Job, State: rep.Run.State,
			Started: rep.Run.CreatedAt, Updated: rep.Run.UpdatedAt, Rows: rep.Rows, Outcomes: out})
	}
	slices.SortStableFunc(runs, func(a, b runEntry) int {
		return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.Dir, b.Dir))
	})
	return runs, nil
}
