package inteliquent

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const (
	testKey    = "KEYabcd1FghIjK2314mno5pqr"
	testSecret = "SECRETzz9yy8xx7ww6vv5"
)

// recorded is one request the fake API received.
type recorded struct {
	Method string
	Path   string
	Op     string
	Auth   string
	Body   []byte
}

// fakeAPI is a small stand-in for the Inteliquent API behind an httptest
// server on 127.0.0.1. Tests script the answer per request with handle.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []recorded
	forms    []url.Values
	tokenN   int
	handle   func(w http.ResponseWriter, r *http.Request, n int, rec recorded)
	tokenFor func(n int) (status int, body string)
	// tokenLocation, when set, is sent as the token answer's Location.
	tokenLocation string
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth2/token" {
		_ = r.ParseForm()
		f.mu.Lock()
		f.tokenN++
		n := f.tokenN
		f.forms = append(f.forms, r.PostForm)
		tf := f.tokenFor
		loc := f.tokenLocation
		f.mu.Unlock()
		// What the guide's example shows, and what golang.org/x/oauth2
		// needs to read the answer as JSON.
		w.Header().Set("Content-Type", "application/json")
		if tf != nil {
			st, body := tf(n)
			if loc != "" {
				w.Header().Set("Location", loc)
			}
			w.WriteHeader(st)
			_, _ = io.WriteString(w, body)
			return
		}
		fmt.Fprintf(w, `{"scope":"am_application_scope default","token_type":"bearer","expires_in":9223372036854775807,"access_token":"tok-%d"}`, n)
		return
	}
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, Op: path.Base(r.URL.Path), Auth: r.Header.Get("Authorization"), Body: body}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	n := len(f.reqs)
	h := f.handle
	f.mu.Unlock()
	if h == nil {
		_, _ = io.WriteString(w, `{"status":"Success","statusCode":"200"}`)
		return
	}
	h(w, r, n, rec)
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeAPI) tokens() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenN
}

// fakeLimiter records the client's calls.
type fakeLimiter struct {
	mu        sync.Mutex
	waits     int
	throttles []time.Duration
	successes int
}

func (l *fakeLimiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	l.waits++
	l.mu.Unlock()
	return ctx.Err()
}

func (l *fakeLimiter) Throttle(d time.Duration) {
	l.mu.Lock()
	l.throttles = append(l.throttles, d)
	l.mu.Unlock()
}

func (l *fakeLimiter) Success() {
	l.mu.Lock()
	l.successes++
	l.mu.Unlock()
}

// backoffRecorder is a Backoff that never sleeps long and records its inputs.
type backoffRecorder struct {
	mu          sync.Mutex
	retryAfters []time.Duration
}

func (b *backoffRecorder) fn(_ int, ra time.Duration) time.Duration {
	b.mu.Lock()
	b.retryAfters = append(b.retryAfters, ra)
	b.mu.Unlock()
	return 0
}

type testEnv struct {
	api     *fakeAPI
	c       *Client
	lim     *fakeLimiter
	backoff *backoffRecorder
	logs    *strings.Builder
}

func newEnv(t *testing.T, mutate ...func(*Config)) *testEnv {
	t.Helper()
	api := newFakeAPI(t)
	lim := &fakeLimiter{}
	bo := &backoffRecorder{}
	logs := &strings.Builder{}
	cfg := Config{
		BaseURL: api.srv.URL + "/Services/1.0.0",
		Key:     testKey,
		Secret:  testSecret,
		Limiter: lim,
		Backoff: bo.fn,
		Retries: 3,
		Logger:  slog.New(slog.NewTextHandler(&syncWriter{b: logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return &testEnv{api: api, c: c, lim: lim, backoff: bo, logs: logs}
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// reply writes a JSON body with an HTTP status.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// drop closes the connection without answering (after the request arrived).
func drop(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	require.True(t, ok)
	conn, _, err := hj.Hijack()
	require.NoError(t, err)
	_ = conn.Close()
}

func decodeBody(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), "body: %s", b)
	return m
}
