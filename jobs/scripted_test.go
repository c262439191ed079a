package jobs

import (
	"net/http"
	"net/http/httptest"
	"path"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// scriptedAPI is a hostile loopback API: every operation answers the JSON
// body the test gives it (HTTP 200), operations it does not know answer the
// guide's 430 "no results". It counts the calls per operation.
type scriptedAPI struct {
	mu      sync.Mutex
	answers map[string]string
	calls   map[string]int
}

func newScriptedAPI(t *testing.T, answers map[string]string) (*scriptedAPI, *inteliquent.Client) {
	t.Helper()
	s := &scriptedAPI{answers: answers, calls: map[string]int{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := path.Base(r.URL.Path)
		s.mu.Lock()
		s.calls[op]++
		body, ok := s.answers[op]
		s.mu.Unlock()
		if !ok {
			body = `{"status": "No results found", "statusCode": "430"}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	api, err := inteliquent.New(inteliquent.Config{BaseURL: ts.URL + "/Services/1.0.0", Key: "k", Secret: "s",
		Auth: inteliquent.AuthBasic, Retries: 1})
	require.NoError(t, err)
	return s, api
}
