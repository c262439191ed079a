package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/htmlreport"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/writers"
)

type exportOptions struct {
	connectOptions
	Out       string
	Format    string
	Resume    bool
	Since     string
	StartDate string
	EndDate   string
	PageSize  int
	Quiet     bool
	Bookmark  string
	Force     bool
}

func newExportCmd(e *env) *cobra.Command {
	var o exportOptions
	reg := exports.Default()
	filters := map[string]*string{}
	var long strings.Builder
	long.WriteString(`Export a listing to CSV, XLSX or JSONL, streaming, in bounded memory.

The file is written to FILE.partial with a checkpoint (FILE.state.db) after
every page; --resume continues an interrupted export where it stopped (CSV
and JSONL end byte-identical to an uninterrupted export). FILE appears only
when the export is complete, with FILE.summary.json beside it. For mdr and
e911-calls, every successful export writes a bookmark (FILE.bookmark.json,
or --bookmark) where it ended, and --since last starts there; it never
replaces an earlier file: give the new window another name (-o NEW
--bookmark FILE.bookmark.json), or --force. An export the API refuses (a
validation error) exits 2 and leaves nothing behind.

Exit codes: 0 done (also when there was nothing to export); 2 usage or
configuration error; 3 interrupted or failed, resumable with --resume.

Kinds and their filters:
`)
	for _, k := range reg.Kinds() {
		fmt.Fprintf(&long, "\n  %s: %s\n", k.Name, k.Help)
		if k.Dated {
			long.WriteString("      --start-date, --end-date, --since last\n")
		}
		for _, f := range k.Filters {
			req := ""
			if f.Required {
				req = " (required)"
			}
			fmt.Fprintf(&long, "      --%s (%s)%s: %s\n", f.Flag, f.Param, req, f.Help)
		}
		if args := k.ExampleOf(time.Now()).Args(); len(args) > 0 {
			fmt.Fprintf(&long, "      e.g. iqbulk export %s %s -o %s.csv\n", k.Name, strings.Join(args, " "), k.Name)
		}
	}
	cmd := &cobra.Command{
		Use:   "export KIND [filters] -o FILE",
		Short: "Export inventory, numbers, records or orders to CSV, XLSX or JSONL",
		Long:  long.String() + credentialsHelp,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			given := map[string]string{}
			for name, v := range filters {
				if cmd.Flags().Changed(name) {
					given[name] = *v
				}
			}
			if err := checkSettings(cmd, pipeline.Settings{Connection: o.Connection}, jobs.Spec{}); err != nil {
				return withCode(ExitUsage, err)
			}
			if kinds := reg.Names(); !slices.Contains(kinds, args[0]) {
				if s := readers.Suggest(args[0], kinds); s != "" {
					return withCode(ExitUsage, fmt.Errorf("unknown export kind %q; did you mean %q? (known: %s)", args[0], s, strings.Join(kinds, ", ")))
				}
			}
			return runExport(cmd.Context(), e, reg, args[0], given, o)
		},
	}
	addConnectFlags(cmd, &o.Endpoint, &o.Connection)
	f := cmd.Flags()
	f.StringVarP(&o.Out, "out", "o", "", "output file (.csv, .xlsx or .jsonl)")
	f.StringVar(&o.Format, "format", "", "csv, xlsx or jsonl (default: from the file extension)")
	f.BoolVar(&o.Resume, "resume", false, "continue an interrupted export of the same kind and filters (starts afresh when there is none)")
	f.StringVar(&o.Since, "since", "", `"last": start where the previous export to this file ended (mdr, e911-calls)`)
	f.StringVar(&o.StartDate, "start-date", "", "start of the date range, UTC (2006-01-02, 2006-01-02 15:04:05 or RFC 3339)")
	f.StringVar(&o.EndDate, "end-date", "", "end of the date range, exclusive, UTC (default: now)")
	f.IntVar(&o.PageSize, "page-size", exports.DefaultPageSize, "page size of the page/size listings (inventory always scrolls at 10000)")
	f.BoolVar(&o.Quiet, "quiet", false, "no progress bar")
	f.StringVar(&o.Bookmark, "bookmark", "", "mdr, e911-calls: the bookmark file --since last reads and every export writes (default FILE.bookmark.json)")
	f.BoolVar(&o.Force, "force", false, "--since last: replace FILE (by default the new window must go to another file: -o NEW --bookmark OLD.bookmark.json)")
	for _, fl := range reg.AllFilters() {
		v := new(string)
		filters[fl.Flag] = v
		f.StringVar(v, fl.Flag, "", fl.Param+": "+fl.Help)
	}
	return cmd
}

func runExport(ctx context.Context, e *env, reg *exports.Registry, kind string, given map[string]string, o exportOptions) error {
	var format writers.Format
	if o.Format != "" {
		var err error
		if format, err = writers.ParseFormat(o.Format); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	if _, err := reg.Lookup(kind); err != nil {
		return withCode(ExitUsage, err)
	}
	e.quiet = e.quiet || o.Quiet // export's own --quiet predates the global one
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	conn, err := connect(ctx, e, o.connectOptions, log)
	if err != nil {
		return err
	}
	defer conn.Close()
	if conn.Embedded {
		fmt.Fprintln(e.stderr, "iqbulk: using the embedded sandbox (pass --endpoint production for the real API)")
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer onSignals(ctx, e.stderr, "iqbulk: interrupted; run the same command with --resume to continue", cancel, nil)()

	var progress io.Writer
	if !o.Quiet && !e.quiet {
		progress = e.stderr
	}
	res, err := exports.Run(ctx, conn.API, reg, exports.Options{
		OpenState: func(ctx context.Context, path string) (exports.State, error) {
			return checkpoints.OpenLocked(ctx, path)
		},
		RunOrders: checkpoints.RunOrders,
		Kind:      kind, Filters: given, Out: o.Out, Format: format, Resume: o.Resume, Since: o.Since, Bookmark: o.Bookmark, Force: o.Force,
		StartDate: o.StartDate, EndDate: o.EndDate, PageSize: o.PageSize, Progress: progress, Log: log,
		Endpoint: conn.Endpoint,
	})
	if err != nil {
		switch {
		case errors.Is(err, exports.ErrUsage):
			return withCode(ExitUsage, err)
		case inteliquent.IsFatal(err):
			return withCode(ExitUsage, err)
		}
		return withCode(ExitInterrupted, err)
	}
	report := res.Out + exportReportSuffix
	if err := htmlreport.WriteSummaryReport(res.Summary, report); err != nil {
		log.Warn("report not written", "err", err)
	}
	fmt.Fprintf(e.stdout, "exported %d rows (%d pages, %d requests, %d retries, %d scroll restarts) to %s\n",
		res.Rows, res.Pages, res.Requests, res.Retries, res.Restarts, res.Out)
	fmt.Fprintf(e.stdout, "summary: %s\n", res.Summary)
	if res.Bookmark != "" {
		fmt.Fprintf(e.stdout, "bookmark: %s (next --since last starts at %s)\n", res.Bookmark, res.End.Format("2006-01-02T15:04:05Z"))
	}
	return nil
}
