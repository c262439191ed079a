package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/readers"
)

// addUndoRunFlags offers the snapshot switch and the undo link on `run`.
func addUndoRunFlags(cmd *cobra.Command, o *runOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.S.NoSnapshot, "no-snapshot", false, "do not read and keep the values a batch overwrites before sending it (iqbulk undo then cannot restore them)")
	f.StringVar(&o.S.Undoes, "undoes", "", "record that this run undoes the run in this directory (iqbulk undo prints it)")
}

type undoOptions struct {
	runOptions
	Manifest string // -o
	Run      bool
	Check    bool
	Rows     string
}

func newUndoCmd(e *env) *cobra.Command {
	var o undoOptions
	cmd := &cobra.Command{
		Use:   "undo RUN_DIR",
		Short: "Write (or run) the manifest that puts back what a run changed",
		Long: `Undo a run. Before each batch of a kind that overwrites values (` + undoKinds(false) + `)
the run read the numbers' values with the API's own read operations and
kept them in its checkpoint. undo writes the manifest that restores every
row the run changed to those values, and prints the command that runs it; a
value that was empty before is removed (e911-remove, campaign-remove,
remove_note, remove_<feature>), not set to empty. An undo that needs several
kinds writes one manifest per kind (-o with .KIND before the extension),
run in order (messaging-remove's campaign after its messaging). tn-order and
tf-order runs are undone by disconnecting the numbers they ordered
(destructive: --yes outside the sandbox). Rows whose change the API cannot
take back (a port-out PIN on a number that had none...) are printed as
CANNOT RESTORE, with a warning. Kinds that cannot be undone at all (` + undoKinds(true) + `)
are refused with the reason: undo exits 2.

Rows undone: the run's ok rows, and rows whose fate the run does not know
(in doubt, pending, or in a batch killed mid-send) that a fresh read shows
changed. --check (on by default) reads every number again first and
refuses, naming the rows, when one has been changed again since; --rows
FILE (numbers, one per line) undoes only those numbers.

--run runs the manifest at once as a new run (in --out DIR, default
RUN_DIR-undo) whose summary names the run it undoes.

Exit codes: 0 written (or, with --run, every row restored); 1 some rows not
restored; 2 nothing written or sent (cannot be undone, changed since, usage);
3 the undo run was interrupted: iqbulk resume its directory.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return undoRun(cmd.Context(), e, cmd, args[0], o)
		},
	}
	addConnectFlags(cmd, &o.Endpoint, &o.S.Connection)
	f := cmd.Flags()
	f.StringVarP(&o.Manifest, "output", "o", "", "manifest to write, .csv or .xlsx (default RUN_DIR/undo.csv); several kinds get .KIND before the extension")
	f.BoolVar(&o.Run, "run", false, "run the undo manifest now, as a new run")
	f.StringVar(&o.Out, "out", "", "with --run: the undo run's directory (default RUN_DIR-undo; RUN_DIR-undo/KIND when it takes several kinds)")
	f.BoolVar(&o.Yes, "yes", false, "with --run: confirm a destructive undo (disconnecting what a tn-order ordered) outside the sandbox")
	f.BoolVar(&o.Check, "check", true, "read every number again and refuse if one changed since the run")
	f.StringVar(&o.Rows, "rows", "", "undo only the numbers in this file (one per line, or a CSV whose first column is the number)")
	f.IntVar(&o.S.Concurrency, "concurrency", 4, "requests in flight at once: the --check reads (default: the run's own concurrency) and, with --run, the undo run")
	f.BoolVar(&o.S.Follow.Enabled, "follow", true, "with --run: follow the undo run's orders until they are final")
	addFollowFlags(cmd, &o.S.Follow)
	addSettleFlag(cmd, &o.runOptions)
	return cmd
}

func undoRun(ctx context.Context, e *env, cmd *cobra.Command, dir string, o undoOptions) error {
	st, err := pipeline.Status(ctx, dir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	run := st.Run
	if o.Endpoint == "" && run.Endpoint != EndpointSandbox {
		o.Endpoint = run.Endpoint
	}
	if o.Manifest == "" {
		o.Manifest = filepath.Join(dir, "undo.csv")
	} else if _, err := os.Stat(o.Manifest); err == nil {
		return withCode(ExitUsage, fmt.Errorf("-o %s exists: choose another file (undo never overwrites one)", o.Manifest))
	}
	var rows map[string]bool
	if o.Rows != "" {
		if rows, err = readRowsFile(o.Rows); err != nil {
			return withCode(ExitUsage, fmt.Errorf("--rows: %w", err))
		}
	}
	outDir := o.Out
	if outDir == "" {
		outDir = strings.TrimRight(dir, string(filepath.Separator)) + "-undo"
	}
	if o.Run {
		if _, err := os.Stat(outDir); err == nil {
			return withCode(ExitUsage, fmt.Errorf("%s exists: an undo run may already be there (iqbulk resume it), or pass --out", outDir))
		}
	}

	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	conn, err := connect(ctx, e, o.connectOptions(), log)
	if err != nil {
		return err
	}
	checkConc := 0 // the run's own
	if cmd.Flags().Changed("concurrency") {
		checkConc = o.S.Concurrency
	}
	plan, err := pipeline.PlanUndo(ctx, conn.API, jobs.Default(), dir, pipeline.UndoOptions{Check: o.Check, Rows: rows, Out: o.Manifest, Concurrency: checkConc})
	embedded := conn.Embedded
	conn.Close() // the undo run connects again (the embedded sandbox's state is one process's at a time)
	var cannot *pipeline.CannotUndoError
	switch {
	case errors.As(err, &cannot):
		return withCode(ExitUsage, err)
	case errors.Is(err, pipeline.ErrChangedSince):
		for _, c := range plan.Conflicts {
			fmt.Fprintf(e.stderr, "iqbulk: line %d, %s changed since the run: %s\n", c.Line, c.Key, c.Why)
		}
		if n := plan.Conflict - len(plan.Conflicts); n > 0 {
			fmt.Fprintf(e.stderr, "iqbulk: ... and %d more\n", n)
		}
		return withCode(ExitUsage, fmt.Errorf("undo refused, nothing written: %w", err))
	case err != nil:
		return withCode(ExitUsage, err)
	}
	printUndoPlan(e.stdout, plan)
	if n := sumCounts(plan.Cannot); n > 0 {
		fmt.Fprintf(e.stderr, "iqbulk: warning: %d rows cannot be restored and keep the value the run set (see CANNOT RESTORE above)\n", n)
	}
	if len(plan.Parts) == 0 {
		fmt.Fprintln(e.stdout, "nothing to undo")
		return nil
	}
	undoes := fmt.Sprintf("%s (%s)", run.ID, dir)
	if !o.Run {
		fmt.Fprintln(e.stdout, "to undo, run:")
		for _, p := range plan.Parts {
			fmt.Fprintf(e.stdout, "  %s\n", undoCommand(p, dir, o.Endpoint))
		}
		return nil
	}
	// Every part's --yes is asked for before any part runs: an undo never
	// stops half-way for want of it.
	for _, p := range plan.Parts {
		if job, err := jobs.Default().Lookup(p.Kind); err == nil && job.Spec().Destructive && !embedded && !o.Yes {
			return withCode(ExitUsage, fmt.Errorf("undoing %s takes %s, which is destructive (%v): pass --yes to run it against %s (nothing was sent)",
				run.ID, p.Kind, job.Spec().Operations, o.Endpoint))
		}
	}
	worst := ExitOK
	for _, p := range plan.Parts {
		ro := o.runOptions
		ro.Out, ro.S.Undoes, ro.S.DryRun = outDir, undoes, false
		if len(plan.Parts) > 1 {
			ro.Out = filepath.Join(outDir, p.Kind)
		}
		err := runJob(ctx, e, cmd, p.Kind, p.Path, ro)
		code := ExitOK
		var xe *exitError
		switch {
		case err == nil:
		case errors.As(err, &xe):
			code = xe.code
			if xe.err != nil {
				fmt.Fprintln(e.stderr, "iqbulk:", xe.err)
			}
		default:
			return err
		}
		if code == ExitInterrupted || code == ExitUsage {
			return withCode(code, nil)
		}
		worst = max(worst, code)
	}
	if worst != ExitOK {
		return withCode(worst, nil)
	}
	return nil
}

// undoKinds lists the registered kinds that snapshot (or, irreversible,
// those that cannot be undone).
func undoKinds(irreversible bool) string {
	var names []string
	for _, j := range jobs.Default().All() {
		_, snap := j.(jobs.Snapshotter)
		_, irr := j.(jobs.Irreversible)
		if irreversible && irr || !irreversible && snap {
			names = append(names, j.Spec().Name)
		}
	}
	return strings.Join(names, ", ")
}

func printUndoPlan(w io.Writer, p *pipeline.UndoPlan) {
	fmt.Fprintf(w, "undo of %s (%s): %d rows to restore\n", p.Run.ID, p.Run.Job, p.Restored)
	for _, part := range p.Parts {
		fmt.Fprintf(w, "  %-16s %6d rows  %s\n", part.Kind, part.Rows, part.Path)
	}
	whys := make([]string, 0, len(p.Skipped))
	for why := range p.Skipped {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	for _, why := range whys {
		fmt.Fprintf(w, "  left alone: %d rows: %s\n", p.Skipped[why], why)
	}
	whys = whys[:0]
	for why := range p.Cannot {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	for _, why := range whys {
		fmt.Fprintf(w, "  CANNOT RESTORE: %d rows keep the run's value: %s\n", p.Cannot[why], why)
	}
	whys = whys[:0]
	for why := range p.Partly {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	for _, why := range whys {
		fmt.Fprintf(w, "  restored in part: %d rows: %s\n", p.Partly[why], why)
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// undoCommand is the command that runs one undo manifest.
func undoCommand(p pipeline.UndoPart, dir, endpoint string) string {
	cmd := fmt.Sprintf("iqbulk run %s %s --undoes %s", p.Kind, shellQuote(p.Path), shellQuote(dir))
	if endpoint != "" && endpoint != EndpointSandbox {
		cmd += " --endpoint " + shellQuote(endpoint)
	}
	if job, err := jobs.Default().Lookup(p.Kind); err == nil && job.Spec().Destructive {
		cmd += " --yes"
	}
	return cmd
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\;&|<>*?()[]{}!#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// readRowsFile reads the numbers of --rows: one per line, or a CSV whose
// first column is the number (a header line that is not a number is
// skipped).
func readRowsFile(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		cell := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if i := strings.IndexAny(cell, ",;\t"); i >= 0 {
			cell = cell[:i]
		}
		cell = strings.Trim(cell, `"' `)
		if cell == "" {
			continue
		}
		tn, err := readers.NormalizeTN(cell)
		if err != nil {
			if line == 1 {
				continue // a header
			}
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		out[tn] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no numbers", path)
	}
	return out, nil
}
