package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/htmlreport"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// ReportFile is the run's HTML report, beside its results.
const ReportFile = "report.html"

// RequestLogMsg is the run.log message of one API request (cli's timing
// transport writes it with the attributes op, ms and http): the durable
// record behind the report's throughput and latency charts. run.log is
// append-only JSON lines, written as requests happen and kept across
// resumes, so a report rebuilt days later, or after a crash, shows every
// request that was answered.
const RequestLogMsg = "api request"

// Messages of the client's log lines the report marks on its charts.
const (
	logSlowDown = inteliquent.LogSlowDown
	logRetrying = inteliquent.LogRetrying
)

// orderRowsShown bounds the report's order table; the results file has all.
const orderRowsShown = 50

// concludeExtras writes what a run's end adds beyond results and summary: a
// dry run's plan and the HTML report. A report that cannot be written is
// logged, never a reason to fail a run whose results are written.
func concludeExtras(ctx context.Context, st *checkpoints.Store, cfg Config, run checkpoints.Run, rep *Report) error {
	if cfg.Opts.DryRun && cfg.Plan != nil {
		p, err := buildPlan(ctx, st, cfg, run)
		if err != nil {
			return err
		}
		if err := writePlan(cfg.Dir, p); err != nil {
			return err
		}
		rep.Plan = p
	}
	// At the end of a big run the undo count would read every row and
	// snapshot again after the last request (1.7 s for 200,000 rows):
	// it is left to `iqbulk report`, which the report says.
	if err := writeHTMLReport(ctx, st, cfg.Dir, rep, rep.Rows <= undoCountedAtEnd); err != nil && cfg.Log != nil {
		cfg.Log.Warn("report.html not written", "err", err)
	}
	return nil
}

// WriteReport (re)writes RUN_DIR/report.html from the checkpoint and run.log,
// reading only: it works on a finished run, an interrupted one, or one that
// another process is working on.
func WriteReport(ctx context.Context, dir string) (string, error) {
	st, run, err := openRun(ctx, dir, false)
	if err != nil {
		return "", err
	}
	defer st.Close()
	format, _ := readers.Format(run.ManifestPath)
	rep, err := report(ctx, st, Config{Dir: dir}, FilesFor(format), run.CreatedAt)
	if err != nil {
		return "", err
	}
	rep.Finished = run.UpdatedAt
	if err := writeHTMLReport(ctx, st, dir, rep, true); err != nil {
		return "", err
	}
	return filepath.Join(dir, ReportFile), nil
}

// undoCountedAtEnd is the most rows whose undo a run's own report.html
// counts when the run ends; `iqbulk report` counts any number. A variable
// so that a test can lower it.
var undoCountedAtEnd = 20_000

// writeHTMLReport writes report.html; countUndo says whether it counts the
// rows an undo cannot restore (reading every row and snapshot).
func writeHTMLReport(ctx context.Context, st *checkpoints.Store, dir string, rep *Report, countUndo bool) error {
	d, err := reportData(ctx, st, dir, rep, countUndo)
	if err != nil {
		return err
	}
	return htmlreport.WriteFile(filepath.Join(dir, ReportFile), d)
}

func reportData(ctx context.Context, st *checkpoints.Store, dir string, rep *Report, countUndo bool) (htmlreport.Data, error) {
	run := rep.Run
	var opts Options
	_ = json.Unmarshal(run.Options, &opts)
	d := htmlreport.Data{
		Kind: "run", Title: run.ID, Generated: time.Now(), Job: run.Job, RunID: run.ID, State: run.State,
		Endpoint: redactedEndpoint(run.Endpoint), DryRun: opts.DryRun, Started: run.CreatedAt, Finished: rep.Finished,
		Manifest: run.ManifestPath, Settings: reportSettings(run.Options), Rows: rep.Rows,
	}
	for _, s := range record.Statuses() {
		d.Outcomes = append(d.Outcomes, htmlreport.Count{Name: s, N: rep.Outcomes[s]})
	}
	for _, r := range rep.Reasons {
		rr := htmlreport.Reason{Status: r.Status, Code: r.Code, Message: r.Message, Rows: r.Rows}
		for _, x := range r.Examples {
			ex := fmt.Sprintf("line %d", x.Line)
			if x.Key != "" {
				ex += " (" + x.Key + ")"
			}
			rr.Examples = append(rr.Examples, ex)
		}
		d.Reasons = append(d.Reasons, rr)
	}
	orders, err := st.Orders(ctx, false)
	if err != nil {
		return d, err
	}
	byState := map[string]int{}
	for i, o := range orders {
		byState[o.Status]++
		if i < orderRowsShown {
			d.OrderList = append(d.OrderList, htmlreport.Order{ID: o.OrderID, Reference: o.CustomerOrderReference, Status: o.Status, Final: o.Final, Polls: o.Polls})
		}
	}
	d.OrdersTotal = len(orders)
	for _, s := range slices.Sorted(maps.Keys(byState)) {
		d.Orders = append(d.Orders, htmlreport.Count{Name: s, N: byState[s]})
	}
	d.Undoes = opts.Undoes
	if job, err := jobs.Default().Lookup(run.Job); err == nil {
		if err := undoable(job, opts); err != nil {
			d.Undo = err.Error() + "."
		} else {
			d.Undo = fmt.Sprintf("iqbulk undo %s writes the manifest that puts the %d rows this run changed back to what they held before it (their values were read and kept before each batch); --run runs it.",
				dir, rep.Outcomes[record.StatusOK])
			if countUndo {
				d.Undo += undoCannotText(ctx, st, run)
			} else {
				d.Undo += fmt.Sprintf(" Which of them it could not restore was not counted when this run of %d rows ended; `iqbulk report %s` counts it, and `iqbulk undo %s` shows it.",
					rep.Rows, dir, dir)
			}
		}
	}
	done, err := st.DoneTimes(ctx)
	if err != nil {
		return d, err
	}
	d.Timeline = timeline(filepath.Join(dir, rep.Files.Log), done)
	d.Files = htmlreport.Files(dir, map[string]string{
		rep.Files.Results: "one result row per manifest row", rep.Files.Failed: "the rows to fix and run again, as a manifest",
		rep.Files.Excluded: "numbers the API excluded, with reasons", rep.Files.Summary: "summary (JSON)",
		rep.Files.Log: "log (JSON lines)", "state.db": "checkpoint (SQLite)", PlanJSON: "plan (JSON)", PlanText: "plan",
	})
	return d, nil
}

// reportSettings lists the recorded run settings, whatever they hold.
func reportSettings(raw json.RawMessage) []htmlreport.Setting {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	var out []htmlreport.Setting
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v, _ := json.Marshal(m[k])
		out = append(out, htmlreport.Setting{Name: k, Value: strings.Trim(string(v), `"`)})
	}
	return out
}

func redactedEndpoint(e string) string {
	if strings.ContainsAny(e, "@?") {
		return "(endpoint redacted)"
	}
	return e
}

// event is one timed thing from run.log.
type event struct {
	at   time.Time
	ms   float64
	kind int // evRequest, evThrottle, evRetry, evRows (ms = rows)
}

const (
	evRequest = iota
	evThrottle
	evRetry
	evRows
	evHTTPThrottle // an HTTP 429/503 answer (the client also logs it as a slow-down)
)

// logLine is the part of a run.log line the report reads.
type logLine struct {
	Time time.Time `json:"time"`
	Msg  string    `json:"msg"`
	MS   float64   `json:"ms"`
	Op   string    `json:"op"`
	HTTP int       `json:"http"`
}

// timeline reads run.log (requests, throttling, retries) and the batches'
// done times (rows) into at most maxBuckets equal buckets.
func timeline(logPath string, done []checkpoints.BatchTiming) htmlreport.Timeline {
	var evs []event
	src := "Requests, latency, throttling and retries from run.log; rows from the checkpoint's batch completion times."
	if f, err := os.Open(logPath); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if !json.Valid(line) {
				continue
			}
			var l logLine
			if json.Unmarshal(line, &l) != nil {
				continue
			}
			switch l.Msg {
			case RequestLogMsg:
				if l.Op == "token" {
					continue // OAuth2 token fetches are not API operations
				}
				evs = append(evs, event{at: l.Time, ms: l.MS, kind: evRequest})
				if l.HTTP == 429 || l.HTTP == 503 {
					evs = append(evs, event{at: l.Time, kind: evHTTPThrottle})
				}
			case logSlowDown:
				evs = append(evs, event{at: l.Time, kind: evThrottle}, event{at: l.Time, kind: evRetry})
			case logRetrying:
				evs = append(evs, event{at: l.Time, kind: evRetry})
			}
		}
		f.Close()
	} else {
		src = "run.log is missing: no request timings; rows from the checkpoint's batch completion times."
	}
	for _, b := range done {
		evs = append(evs, event{at: b.DoneAt, ms: float64(b.Rows), kind: evRows})
	}
	tl := bucketize(evs)
	tl.Source = src
	return tl
}

const maxBuckets = 60

var bucketSizes = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 24 * time.Hour}

func bucketize(evs []event) htmlreport.Timeline {
	var tl htmlreport.Timeline
	if len(evs) == 0 {
		return tl
	}
	first, last := evs[0].at, evs[0].at
	for _, e := range evs {
		if e.at.Before(first) {
			first = e.at
		}
		if e.at.After(last) {
			last = e.at
		}
	}
	span := last.Sub(first)
	tl.Bucket = bucketSizes[len(bucketSizes)-1]
	for _, b := range bucketSizes {
		if span/b < maxBuckets {
			tl.Bucket = b
			break
		}
	}
	tl.Start = first.Truncate(tl.Bucket)
	n := int(last.Sub(tl.Start)/tl.Bucket) + 1
	tl.Points = make([]htmlreport.Point, n)
	lat := make([][]float64, n)
	httpThrottled := make([]int, n)
	var all []float64
	for _, e := range evs {
		i := min(int(e.at.Sub(tl.Start)/tl.Bucket), n-1)
		p := &tl.Points[i]
		switch e.kind {
		case evRequest:
			p.Requests++
			lat[i] = append(lat[i], e.ms)
			all = append(all, e.ms)
		case evThrottle:
			p.Throttled++
		case evRetry:
			p.Retries++
		case evRows:
			p.Rows += int(e.ms)
		case evHTTPThrottle:
			httpThrottled[i]++
		}
	}
	for i := range tl.Points {
		// The client's slow-down line and the HTTP status are two records
		// of one throttling answer, and either may be missing (a body 431
		// has no HTTP sign; a log without the client's lines has no
		// slow-down): count the larger.
		tl.Points[i].Throttled = max(tl.Points[i].Throttled, httpThrottled[i])
		tl.Points[i].P50 = htmlreport.Percentile(lat[i], 0.5)
		tl.Points[i].P95 = htmlreport.Percentile(lat[i], 0.95)
		tl.Overall.Requests += tl.Points[i].Requests
		tl.Overall.Rows += tl.Points[i].Rows
		tl.Overall.Throttled += tl.Points[i].Throttled
		tl.Overall.Retries += tl.Points[i].Retries
	}
	tl.Overall.P50 = htmlreport.Percentile(all, 0.5)
	tl.Overall.P95 = htmlreport.Percentile(all, 0.95)
	return tl
}

// LogRequest writes one RequestLogMsg line.
func LogRequest(ctx context.Context, log *slog.Logger, op string, d time.Duration, status int) {
	log.LogAttrs(ctx, slog.LevelInfo, RequestLogMsg, slog.String("op", op),
		slog.Float64("ms", float64(d.Microseconds())/1000), slog.Int("http", status))
}

// summaryReasons turns reasons into summary.json's.
func summaryReasons(rs []Reason) []writers.Reason {
	out := make([]writers.Reason, len(rs))
	for i, r := range rs {
		lines := make([]int, len(r.Examples))
		for j, x := range r.Examples {
			lines[j] = x.Line
		}
		out[i] = writers.Reason{Status: r.Status, Code: r.Code, Reason: r.Message, Rows: r.Rows, ExampleLines: lines}
	}
	return out
}

// undoCannotText says which rows an undo cannot restore, and why ("" when
// it can restore them all).
func undoCannotText(ctx context.Context, st *checkpoints.Store, run checkpoints.Run) string {
	plan, err := planUndo(ctx, nil, jobs.Default(), st, run, UndoOptions{})
	if err != nil {
		return " (what undo would restore could not be counted: " + err.Error() + ")"
	}
	var b strings.Builder
	for _, why := range slices.Sorted(maps.Keys(plan.Cannot)) {
		fmt.Fprintf(&b, " It cannot restore %d rows, which keep the value this run set: %s.", plan.Cannot[why], why)
	}
	for _, why := range slices.Sorted(maps.Keys(plan.Partly)) {
		fmt.Fprintf(&b, " It restores %d rows only in part: %s.", plan.Partly[why], why)
	}
	return b.String()
}
