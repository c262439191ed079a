package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/htmlreport"
	"github.com/iqbulk/iqbulk/pipeline"
)

// exportReportSuffix names an export's report: FILE.report.html beside FILE.
const exportReportSuffix = ".report.html"

func newReportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "report RUN_DIR|EXPORT_FILE",
		Short: "(Re)write a run's report.html, or an export's FILE.report.html",
		Long: `Write RUN_DIR/report.html from the run's checkpoint and run.log: settings,
outcome counts, the top reasons with example rows, throughput and latency
over time, orders and their states, and links to the files beside it. One
self-contained HTML file (no script, font or image from elsewhere) that
reads offline, mails, and prints. Every run writes it when it ends; this
rewrites it, e.g. for a run that was killed. It only reads the checkpoint.

For an export, pass the exported FILE: FILE.report.html is written from
FILE.summary.json.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := writeReportFor(cmd, args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			fmt.Fprintln(e.stdout, path)
			return nil
		},
	}
}

func writeReportFor(cmd *cobra.Command, target string) (string, error) {
	if _, err := os.Stat(filepath.Join(target, "state.db")); err == nil {
		return pipeline.WriteReport(cmd.Context(), target)
	}
	summary := target + ".summary.json"
	if _, err := os.Stat(summary); err == nil {
		out := target + exportReportSuffix
		return out, htmlreport.WriteSummaryReport(summary, out)
	}
	return "", fmt.Errorf("%s is neither a run directory (no state.db) nor an exported file (no %s)", target, filepath.Base(strings.TrimSuffix(summary, "/")))
}
