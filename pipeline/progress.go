package pipeline

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is told how many rows are decided. Implementations must be safe
// for concurrent use.
type Progress interface {
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

func (p *barProgress) Start(total, done int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("rows"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	_ = p.bar.Set(done)
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
