package cli

import (
	"fmt"
	"math"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/readers"
)

// checkSettings refuses out-of-range settings, naming the flag and the
// range. Only flags the command has are checked.
func checkSettings(cmd *cobra.Command, s pipeline.Settings, spec jobs.Spec) error {
	has := func(name string) bool { return cmd.Flags().Lookup(name) != nil }
	changed := cmd.Flags().Changed
	type check struct {
		flag string
		bad  bool
		want string
	}
	checks := []check{
		{"rate", math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) || s.Rate < 0, "0 (unlimited) or more requests per second"},
		{"burst", s.Burst < 0, "0 (the default) or more"},
		{"retries", s.Retries < 0 || s.Retries > 100, "0 to 100"},
		{"timeout", s.Timeout <= 0, "more than 0s, e.g. 60s"},
		{"concurrency", s.Concurrency < 1 || s.Concurrency > maxConcurrency, fmt.Sprintf("1 to %d", maxConcurrency)},
		{"batch-size", s.BatchSize < 0 || s.BatchSize > spec.BatchSize || (changed("batch-size") && s.BatchSize == 0),
			fmt.Sprintf("1 to %d (the most %s takes per request)", spec.BatchSize, spec.Name)},
		// 0 recorded by a run made through the engine's API means the
		// engine's default; on the command line it is a mistake.
		// --settle's default (-1) means the endpoint's; given, it is a wait.
		{"settle", changed("settle") && s.Settle < 0, "0s or more, e.g. 30s"},
		{"page-size", changed("page-size") && pageSize(cmd) < 1, "1 or more"},
		{"follow-timeout", s.Follow.Timeout < 0 || (s.Follow.Timeout == 0 && changed("follow-timeout")), "more than 0s, e.g. 1h"},
		{"poll-interval", s.Follow.Interval < 0 || (s.Follow.Interval == 0 && changed("poll-interval")), "more than 0s, e.g. 10s"},
	}
	for _, c := range checks {
		if c.bad && has(c.flag) {
			fl := cmd.Flags().Lookup(c.flag)
			return fmt.Errorf("--%s %s: want %s", c.flag, fl.Value.String(), c.want)
		}
	}
	if has("encoding") {
		if err := readers.CheckEncoding(s.Encoding); err != nil {
			return err
		}
	}
	return nil
}

// pageSize reads export's --page-size (0 when the command has none).
func pageSize(cmd *cobra.Command) int {
	n, _ := cmd.Flags().GetInt("page-size")
	return n
}
