package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
)

// opUse is one line of `iqbulk ops`: an operation of the guide, the job
// and export kinds that call it, and why none does.
type opUse struct {
	Num         int      `json:"num"`
	Operation   string   `json:"operation"`
	Area        string   `json:"area"`
	JobKinds    []string `json:"job_kinds"`
	ExportKinds []string `json:"export_kinds"`
	Reason      string   `json:"reason,omitempty"`
}

// opUses walks the job and export registries; nothing here is a hand list.
func opUses(jr *jobs.Registry, er *exports.Registry) []opUse {
	byJob, byExport := map[string][]string{}, map[string][]string{}
	for _, j := range jr.All() {
		s := j.Spec()
		for _, op := range s.Operations {
			if !slices.Contains(byJob[op], s.Name) {
				byJob[op] = append(byJob[op], s.Name)
			}
		}
	}
	for _, k := range er.Kinds() {
		for _, op := range k.Ops {
			if !slices.Contains(byExport[op], k.Name) {
				byExport[op] = append(byExport[op], k.Name)
			}
		}
	}
	var out []opUse
	for _, g := range inteliquent.GuideOps() {
		u := opUse{Num: g.Num, Operation: g.Name, Area: g.Area, JobKinds: byJob[g.Name], ExportKinds: byExport[g.Name]}
		if u.JobKinds == nil {
			u.JobKinds = []string{}
		}
		if u.ExportKinds == nil {
			u.ExportKinds = []string{}
		}
		slices.Sort(u.JobKinds)
		slices.Sort(u.ExportKinds)
		if len(u.JobKinds)+len(u.ExportKinds) == 0 {
			u.Reason = inteliquent.LeftOutReason(g.Name)
			if u.Reason == "" {
				u.Reason = "no reason recorded"
			}
		}
		out = append(out, u)
	}
	return out
}

func newOpsCmd(e *env) *cobra.Command {
	var format string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ops",
		Short: "List every operation of the guide, the job and export kinds that use it, and why any is left out",
		Long: `List the guide's 139 operations with their area (the guide's chapter), the
job kinds and export kinds that call each, and for an operation no kind
uses, the reason. --format csv writes the columns
operation,area,job_kinds,export_kinds,reason (kinds separated by spaces).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			uses := opUses(jobs.Default(), exports.Default())
			switch {
			case asJSON || format == "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(uses)
			case format == "csv":
				return writeOpsCSV(e.stdout, uses)
			case format == "" || format == "text":
				return writeOpsText(e.stdout, uses)
			}
			return withCode(ExitUsage, fmt.Errorf("--format %q: want text, csv or json", format))
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, csv or json")
	cmd.Flags().BoolVar(&asJSON, "json", false, "same as --format json")
	return cmd
}

func writeOpsCSV(w io.Writer, uses []opUse) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"operation", "area", "job_kinds", "export_kinds", "reason"})
	for _, u := range uses {
		_ = cw.Write([]string{u.Operation, u.Area, strings.Join(u.JobKinds, " "), strings.Join(u.ExportKinds, " "), u.Reason})
	}
	cw.Flush()
	return cw.Error()
}

func writeOpsText(w io.Writer, uses []opUse) error {
	tw := tabwriter.NewWriter(w, 4, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tOPERATION\tAREA\tUSED BY")
	used := 0
	for _, u := range uses {
		var by []string
		if len(u.JobKinds) > 0 {
			by = append(by, "jobs: "+strings.Join(u.JobKinds, ", "))
		}
		if len(u.ExportKinds) > 0 {
			by = append(by, "exports: "+strings.Join(u.ExportKinds, ", "))
		}
		if len(by) == 0 {
			by = append(by, "— "+u.Reason)
		} else {
			used++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.Num, u.Operation, u.Area, strings.Join(by, "; "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d of %d operations used by a job or export kind\n", used, len(uses))
	return err
}
