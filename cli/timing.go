package cli

import (
	"io"
	"log/slog"
	"net/http"
	"path"
	"sync"
	"time"

	"github.com/iqbulk/iqbulk/pipeline"
)

// timingTransport writes one run.log line per HTTP request (operation,
// latency, HTTP status): the durable record behind report.html's throughput
// and latency charts. It sees no body and logs no header, so nothing secret.
type timingTransport struct {
	next http.RoundTripper
	log  *slog.Logger
}

// timed wraps hc's transport; with no logger it returns hc as is.
func timed(hc *http.Client, log *slog.Logger) *http.Client {
	if log == nil {
		return hc
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &timingTransport{next: next, log: log}
	return hc
}

// RoundTrip times a request until its answer's body is closed, so a large
// page counts whole.
func (t *timingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	op := path.Base(req.URL.Path)
	if err != nil || resp == nil {
		pipeline.LogRequest(req.Context(), t.log, op, time.Since(start), 0)
		return resp, err
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, done: func() {
		pipeline.LogRequest(req.Context(), t.log, op, time.Since(start), resp.StatusCode)
	}}
	return resp, nil
}

type timedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}
