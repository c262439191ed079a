package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// onSignals runs first at the first SIGINT or SIGTERM, after printing msg,
// and second (if not nil) at the next one; it stops listening when ctx ends
// or the returned function is called.
func onSignals(ctx context.Context, stderr io.Writer, msg string, first, second func()) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "\n"+msg)
			first()
		case <-ctx.Done():
			return
		}
		if second == nil {
			return
		}
		select {
		case <-sigs:
			second()
		case <-ctx.Done():
		}
	}()
	return func() {
		signal.Stop(sigs)
		cancel()
	}
}
