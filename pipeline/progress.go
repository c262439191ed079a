package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/iqbulk/iqbulk/readers"
)

// Progress is told how many rows are decided. Implementations must be safe
// for concurrent use.
type Progress interface {
	// Planning reports, while the manifest is planned, the rows read so
	// far and an estimate of its rows (from its size until planning
	// ends). It may be called before Start, which then gives the exact
	// total.
	Planning(read, estimate int)
	Start(total, done int)
	Set(done int)
	Done()
}

// NewProgress returns a live bar with rows/s and ETA on a terminal, or a log
// line every interval otherwise (cron, CI, Kubernetes).
func NewProgress(w io.Writer, terminal bool, log *slog.Logger, interval time.Duration) Progress {
	if terminal {
		return &barProgress{w: w}
	}
	return &logProgress{log: log, every: interval}
}

type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Planning(read, estimate int) {
	if p.bar == nil {
		p.bar = p.newBar(estimate)
	}
	p.bar.Describe("planning")
	p.bar.ChangeMax(estimate)
	_ = p.bar.Set(read)
}

func (p *barProgress) Start(total, done int) {
	if p.bar != nil { // planned in this process: same bar, exact total
		p.bar.Reset()
		p.bar.ChangeMax(total)
		p.bar.Describe("rows")
		_ = p.bar.Set(done)
		return
	}
	p.bar = p.newBar(total)
	_ = p.bar.Set(done)
}

func (p *barProgress) newBar(total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("rows"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func (p *barProgress) Set(done int) { _ = p.bar.Set(done) }
func (p *barProgress) Done()        { _ = p.bar.Finish(); fmt.Fprintln(p.w) }

type logProgress struct {
	log   *slog.Logger
	every time.Duration

	mu          sync.Mutex
	total, done int
	start, last time.Time
}

func (p *logProgress) Planning(read, estimate int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	first := p.start.IsZero()
	if first {
		p.start = time.Now()
	}
	if first || time.Since(p.last) >= p.every {
		p.last = time.Now()
		p.log.Info("progress", "phase", "planning", "rowsRead", read, "totalEstimate", estimate)
	}
}

func (p *logProgress) Start(total, done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.done, p.start, p.last = total, done, time.Now(), time.Now()
}

func (p *logProgress) Set(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	if time.Since(p.last) >= p.every {
		p.last = time.Now()
		p.emit()
	}
}

func (p *logProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.emit()
}

func (p *logProgress) emit() {
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.done) / el
	}
	eta := "unknown"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second).String()
	}
	p.log.Info("progress", "rows", p.done, "total", p.total, "rowsPerSecond", fmt.Sprintf("%.1f", rate), "eta", eta)
}

// estimateRows guesses a manifest's rows from its size: for CSV, from the
// line length of its first 64 KiB; for XLSX, at ~18 bytes of compressed
// sheet per row (a tn-note workbook). 0 when unknown.
func estimateRows(path string) int {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return 0
	}
	if format, _ := readers.Format(path); format == readers.FormatXLSX {
		return int(fi.Size() / 18)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	lines := bytes.Count(buf[:n], []byte{'\n'})
	if lines < 2 || int64(n) == fi.Size() {
		return max(lines-1, 1) // the whole file: exact but for the header
	}
	return int(fi.Size() * int64(lines-1) / int64(n))
}
