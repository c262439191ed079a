package exports

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// bar is the progress line: rows and pages.
type bar struct {
	b    *progressbar.ProgressBar
	kind string
}

func newBar(w io.Writer, kind string, done int64) *bar {
	if w == nil {
		return &bar{}
	}
	b := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("export "+kind),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	if done > 0 {
		_ = b.Add64(done)
	}
	return &bar{b: b, kind: kind}
}

func (b *bar) page(rows int, pages int64) {
	if b.b == nil {
		return
	}
	b.b.Describe(fmt.Sprintf("export %s: page %d", b.kind, pages))
	_ = b.b.Add(rows)
}

func (b *bar) finish() {
	if b.b != nil {
		_ = b.b.Finish()
	}
}
