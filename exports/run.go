package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/writers"
)

// Side files of an export to FILE.
const (
	PartialSuffix  = ".partial"
	StateSuffix    = ".state.db"
	SummarySuffix  = ".summary.json"
	BookmarkSuffix = ".bookmark.json"
	cursorName     = "export"
	// DefaultPageSize is the page size of the page/size kinds.
	DefaultPageSize = 500
	// SinceLast is the value of --since that reads the bookmark.
	SinceLast = "last"
)

// Options describe one export.
type Options struct {
	Kind string
	// Filters are the given filter flags by flag name.
	Filters map[string]string
	// Out is the destination file; Format defaults to its extension.
	Out    string
	Format writers.Format
	// Resume continues an interrupted export of the same kind, filters
	// and format from its checkpoint (a fresh start when there is none).
	Resume bool
	// Since is "" or SinceLast (dated kinds).
	Since string
	// Bookmark is the bookmark file of a dated kind (default Out +
	// BookmarkSuffix): --since last starts where it says, and every
	// successful export of the kind writes it.
	Bookmark string
	// Force lets --since last replace an existing Out; without it the new
	// window must go to another file, so no earlier rows are lost.
	Force bool
	// StartDate and EndDate bound dated kinds; EndDate defaults to now.
	StartDate, EndDate string
	// PageSize for page/size kinds (default DefaultPageSize).
	PageSize int
	// Progress receives a progress bar (nil: none).
	Progress io.Writer
	Log      *slog.Logger
	// Endpoint is recorded in the summary.
	Endpoint string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Result is what an export did.
type Result struct {
	Kind      string
	Out       string
	Rows      int64
	Pages     int64
	Requests  int64 // API calls of this process (retries included)
	Retries   int64
	Restarts  int64 // scroll restarts (all runs of this export)
	Resumed   bool
	Start     time.Time // dated kinds
	End       time.Time
	Summary   string
	Bookmark  string // written bookmark file, if any
	Duration  time.Duration
	Started   time.Time
	Finished  time.Time
	Throttled int64
}

// refused reports whether the API answered and refused the request (a
// validation error such as body 414, an HTTP 4xx): not a failure a resume
// could get past.
func refused(err error) bool {
	var ae *inteliquent.APIError
	return errors.As(err, &ae) && !inteliquent.IsRetryable(err) && !inteliquent.IsAmbiguous(err)
}

// Run performs the export described by o with api, using the kinds of reg.
// Errors wrapping ErrUsage mean nothing was sent; any other error leaves a
// checkpoint that Options.Resume continues.
func Run(ctx context.Context, api *inteliquent.Client, reg *Registry, o Options) (Result, error) {
	res := Result{Kind: o.Kind, Out: o.Out}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.PageSize > inteliquent.ScrollSize {
		return res, fmt.Errorf("--page-size %d: at most %d: %w", o.PageSize, inteliquent.ScrollSize, ErrUsage)
	}
	kind, err := reg.Lookup(o.Kind)
	if err != nil {
		return res, err
	}
	if o.Out == "" {
		return res, fmt.Errorf("an output file is required (-o FILE): %w", ErrUsage)
	}
	if o.Format == "" {
		if o.Format, err = writers.FormatFromPath(o.Out); err != nil {
			return res, fmt.Errorf("%w: %w", err, ErrUsage)
		}
	}
	params, err := kind.resolve(o.Filters)
	if err != nil {
		return res, err
	}
	if o.Bookmark == "" {
		o.Bookmark = o.Out + BookmarkSuffix
	}
	if o.Since == SinceLast && !o.Force && !(o.Resume && exists(o.Out+StateSuffix)) {
		if exists(o.Out) {
			return res, fmt.Errorf("%s holds an earlier export; --since last writes only the new window, so give it another file (-o NEW --bookmark %s), or pass --force to replace %s: %w",
				o.Out, o.Bookmark, o.Out, ErrUsage)
		}
	}
	start, end, err := dateRange(kind, o)
	if err != nil {
		return res, err
	}
	res.Started = o.Now()
	stats0 := api.Stats()

	store, err := openStore(ctx, o.Out, o.Resume)
	if err != nil {
		return res, err
	}
	defer func() {
		if store != nil {
			_ = store.Close()
		}
	}()
	cur := cursor{Kind: kind.Name, Params: params, Format: o.Format, Start: start, End: end, Started: res.Started}
	if o.Resume {
		raw, ok, err := store.Cursor(ctx, cursorName)
		if err != nil {
			return res, err
		}
		if ok {
			var saved cursor
			if err := json.Unmarshal([]byte(raw), &saved); err != nil {
				return res, fmt.Errorf("exports: checkpoint %s: %w", o.Out+StateSuffix, err)
			}
			if saved.Kind != cur.Kind || saved.Format != cur.Format || !maps.Equal(saved.Params, cur.Params) {
				return res, fmt.Errorf("--resume: %s holds an export of %s %v to %s; run it with the same kind, filters and format, or without --resume to start over: %w",
					o.Out+StateSuffix, saved.Kind, saved.Params, saved.Format, ErrUsage)
			}
			cur, res.Resumed = saved, true
			o.Log.InfoContext(ctx, "resuming export", "kind", kind.Name, "rows", cur.Rows, "pages", cur.Pages)
		}
	}
	res.Start, res.End = cur.Start, cur.End

	cols := kind.Columns(params)
	enc, err := newEncoder(o.Format, cols)
	if err != nil {
		return res, err
	}
	partial := o.Out + PartialSuffix
	f, err := openPartial(partial, res.Resumed, cur.Offset)
	if err != nil {
		return res, err
	}
	defer f.Close()
	if !res.Resumed {
		head := enc.fileHeader()
		if _, err := f.Write(head); err != nil {
			return res, fmt.Errorf("exports: write %s: %w", partial, err)
		}
		if err := f.Sync(); err != nil {
			return res, fmt.Errorf("exports: sync %s: %w", partial, err)
		}
		cur.Offset = int64(len(head))
		if err := saveCursor(ctx, store, cur); err != nil {
			return res, err
		}
	}

	// abandon removes everything of an export the API refused before a
	// page was written: nothing is left behind to resume.
	abandon := func(err error) (Result, error) {
		if cur.Pages > 0 || res.Resumed || !refused(err) {
			return res, err
		}
		_ = f.Close()
		_ = store.Close()
		store = nil
		removeState(o.Out)
		_ = os.Remove(partial)
		return res, fmt.Errorf("export %s: the API refused the request; nothing was written: %w: %w", kind.Name, err, ErrUsage)
	}
	env := &Env{API: api, Params: params, PageSize: o.PageSize, Start: cur.Start, End: cur.End, Log: o.Log}
	src, err := kind.Open(ctx, env, cur.State)
	if err != nil {
		return abandon(err)
	}
	bar := newBar(o.Progress, kind.Name, cur.Rows)
	finishStats := func() {
		st := api.Stats()
		res.Requests, res.Retries, res.Throttled = st.Requests-stats0.Requests, st.Retries-stats0.Retries, st.Throttled-stats0.Throttled
		res.Rows, res.Pages, res.Restarts = cur.Rows, cur.Pages, cur.Restarts
	}
	for done := cur.State != nil && isDone(cur.State); !done; {
		var pg Page
		pg, done, err = src.Next(ctx)
		cur.Restarts += int64(pg.Restarted)
		if err != nil {
			finishStats()
			if res, err := abandon(err); errors.Is(err, ErrUsage) {
				return res, err
			}
			return res, fmt.Errorf("export %s after %d rows (resumable with --resume): %w", kind.Name, cur.Rows, err)
		}
		b, err := enc.page(pg.Rows)
		if err != nil {
			return res, err
		}
		if _, err := f.Write(b); err != nil {
			return res, fmt.Errorf("exports: write %s: %w", partial, err)
		}
		if err := f.Sync(); err != nil {
			return res, fmt.Errorf("exports: sync %s: %w", partial, err)
		}
		cur.Offset += int64(len(b))
		cur.Rows += int64(len(pg.Rows))
		cur.Pages++
		if cur.State, err = src.State(); err != nil {
			return res, err
		}
		if err := saveCursor(ctx, store, cur); err != nil {
			return res, err
		}
		bar.page(len(pg.Rows), cur.Pages)
	}
	bar.finish()
	if err := f.Close(); err != nil {
		return res, fmt.Errorf("exports: close %s: %w", partial, err)
	}
	if err := finalize(o.Out, partial, o.Format, cols); err != nil {
		return res, err
	}
	res.Finished = o.Now()
	res.Duration = res.Finished.Sub(cur.Started)
	finishStats()
	res.Summary = o.Out + SummarySuffix
	extra := map[string]any{"kind": kind.Name, "format": string(o.Format), "pages": cur.Pages, "restarts": cur.Restarts,
		"resumed": res.Resumed, "filters": params, "duration_this_run": res.Finished.Sub(res.Started).Round(time.Millisecond).String()}
	if kind.Dated {
		extra["start"], extra["end"] = cur.Start.Format(time.RFC3339), cur.End.Format(time.RFC3339)
	}
	if err := writers.WriteSummary(res.Summary, writers.Summary{Job: "export " + kind.Name, Endpoint: o.Endpoint,
		Started: cur.Started, Finished: res.Finished, Rows: int(cur.Rows), Outcomes: map[string]int{"ok": int(cur.Rows)},
		Requests: res.Requests, Retries: res.Retries, Throttled: res.Throttled,
		Files: map[string]string{"output": o.Out}, Extra: extra}); err != nil {
		return res, err
	}
	if kind.Dated {
		res.Bookmark = o.Bookmark
		if err := writeBookmark(res.Bookmark, Bookmark{Kind: kind.Name, End: cur.End, Updated: res.Finished.UTC()}); err != nil {
			return res, err
		}
	}
	err = store.Close()
	store = nil
	if err != nil {
		return res, err
	}
	removeState(o.Out)
	return res, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// dateRange works out [start, end) of a dated kind.
func dateRange(k *Kind, o Options) (start, end time.Time, err error) {
	if !k.Dated {
		if o.Since != "" || o.StartDate != "" || o.EndDate != "" {
			return start, end, fmt.Errorf("export %s has no date range (--since, --start-date, --end-date): %w", k.Name, ErrUsage)
		}
		return start, end, nil
	}
	if o.Since != "" && o.Since != SinceLast {
		return start, end, fmt.Errorf("--since %q: only %q is supported: %w", o.Since, SinceLast, ErrUsage)
	}
	end = o.Now().UTC().Truncate(time.Second)
	if o.EndDate != "" {
		if end, err = ParseDate(o.EndDate); err != nil {
			return start, end, err
		}
	}
	switch {
	case o.StartDate != "":
		if start, err = ParseDate(o.StartDate); err != nil {
			return start, end, err
		}
	case o.Since == SinceLast:
	default:
		return start, end, fmt.Errorf("export %s needs --start-date (or --since last): %w", k.Name, ErrUsage)
	}
	if o.Since == SinceLast {
		b, ok, err := readBookmarkFile(o.Bookmark)
		if err != nil {
			return start, end, err
		}
		switch {
		case ok && b.Kind != k.Name:
			return start, end, fmt.Errorf("bookmark %s is for export %s, not %s: %w", o.Bookmark, b.Kind, k.Name, ErrUsage)
		case ok:
			start = b.End // the previous run's end: no gap, no overlap
		case o.StartDate == "":
			return start, end, fmt.Errorf("--since last: no bookmark %s yet; give --start-date for the first export: %w", o.Bookmark, ErrUsage)
		}
	}
	if !start.Before(end) {
		return start, end, fmt.Errorf("date range %s to %s is empty: %w", start.Format(time.RFC3339), end.Format(time.RFC3339), ErrUsage)
	}
	return start, end, nil
}
