package cli

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/jobs"
)

// addJobOptionFlags offers every option any job kind declares
// (jobs.Optioner) as a flag of `iqbulk run`, e.g. e911's --validate-first
// and --accept-corrections. The job is a positional argument, so the flags
// of all kinds are registered; jobs.Configure refuses an option the chosen
// job does not take.
func addJobOptionFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	for _, j := range jobs.Default().All() {
		o, ok := j.(jobs.Optioner)
		if !ok {
			continue
		}
		for _, s := range o.Options() {
			if f.Lookup(s.Name) != nil {
				continue
			}
			if s.Bool {
				f.Bool(s.Name, false, s.Help)
			} else {
				f.String(s.Name, "", s.Help)
			}
		}
	}
}

// jobOptionsFrom collects the job option flags given on the command line.
func jobOptionsFrom(cmd *cobra.Command) map[string]string {
	var out map[string]string
	for _, j := range jobs.Default().All() {
		o, ok := j.(jobs.Optioner)
		if !ok {
			continue
		}
		for _, s := range o.Options() {
			fl := cmd.Flags().Lookup(s.Name)
			if fl == nil || !fl.Changed {
				continue
			}
			if out == nil {
				out = map[string]string{}
			}
			v := fl.Value.String()
			if s.Bool {
				b, _ := strconv.ParseBool(v)
				v = strconv.FormatBool(b)
			}
			out[s.Name] = v
		}
	}
	return out
}
