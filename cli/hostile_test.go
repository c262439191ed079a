package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileAPI is a loopback server that answers as a real API, a gateway or
// an attacker could, where the sandbox never would. It counts requests per
// operation; the token endpoint works unless told otherwise.
type hostileAPI struct {
	mu     sync.Mutex
	counts map[string]int
	srv    *httptest.Server
	// answer writes the answer to one operation's request.
	answer func(w http.ResponseWriter, r *http.Request, op string)
	token  func(w http.ResponseWriter)
}

func newHostileAPI(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, op string)) *hostileAPI {
	h := &hostileAPI{counts: map[string]int{}, answer: answer}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		op := path.Base(r.URL.Path)
		h.mu.Lock()
		h.counts[op]++
		tok := h.token
		answer := h.answer
		h.mu.Unlock()
		if op == "token" {
			if tok != nil {
				tok(w)
				return
			}
			_, _ = io.WriteString(w, `{"access_token":"hostile-token","token_type":"bearer","expires_in":3600}`)
			return
		}
		answer(w, r, op)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hostileAPI) count(op string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[op]
}

func (h *hostileAPI) endpoint() string { return h.srv.URL + "/Services/1.0.0" }

func jsonAnswer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// TestHostileAnswersToTnOrder: answers that do not prove an order was
// placed or refused leave its rows in doubt: tnOrder is sent exactly once,
// no row is ok, nothing goes to failed.csv, and the run ends resumable.
func TestHostileAnswersToTnOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order func(w http.ResponseWriter)
	}{
		{"HTTP 500 with the guide's body", func(w http.ResponseWriter) {
			jsonAnswer(w, 500, `{"status":"Internal Error","statusCode":"500"}`)
		}},
		{"HTTP 502 from a gateway", func(w http.ResponseWriter) { jsonAnswer(w, 502, `<html>Bad Gateway</html>`) }},
		{"body 462", func(w http.ResponseWriter) {
			jsonAnswer(w, 200, `{"status":"An Unknown error has occurred","statusCode":"462"}`)
		}},
		{"an empty object", func(w http.ResponseWriter) { jsonAnswer(w, 200, `{}`) }},
		{"an unparseable status string", func(w http.ResponseWriter) {
			jsonAnswer(w, 200, `{"status":"{2=[6123453624 TN is on an existing order","statusCode":"200","orderId":"null"}`)
		}},
		{"a status that names no number", func(w http.ResponseWriter) {
			jsonAnswer(w, 200, `{"status":"{2=[Order failed to process]}","statusCode":"200","orderId":"null"}`)
		}},
		{"a cut answer", func(w http.ResponseWriter) { jsonAnswer(w, 200, `{"status":"Success","statusCo`) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostileAPI(t, func(w http.ResponseWriter, r *http.Request, op string) {
				if op == "tnOrder" {
					tc.order(w)
					return
				}
				// Every lookup fails too: reconciliation cannot decide.
				jsonAnswer(w, 500, `{"status":"Internal Error","statusCode":"500"}`)
			})
			dir := t.TempDir()
			manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n6123453622\n6123453623\n6123453624\n")
			out := filepath.Join(dir, "run")
			res := runCLI(t, map[string]string{"IQ_API_KEY": "hostile-key", "IQ_API_SECRET": "hostile-secret"},
				"run", "tn-order", manifest, "--out", out, "--endpoint", h.endpoint(), "--rate", "0", "--retries", "2", "--settle", "0s")
			assert.Equal(t, ExitInterrupted, res.code, "resumable: stdout %s\nstderr %s", res.stdout, res.stderr)
			assert.Equal(t, 1, h.count("tnOrder"), "the order is sent exactly once")
			for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
				assert.Equal(t, "in-doubt", r["status"], "%v", r)
				assert.NotEmpty(t, r["message"])
			}
			assert.Empty(t, readCSV(t, filepath.Join(out, "failed.csv")), "in-doubt rows are never in failed.csv")
			assert.Contains(t, res.stderr, "iqbulk resume "+out)
			assert.NotContains(t, res.stdout+res.stderr, "hostile-secret")
		})
	}
}

// TestRedirectIsNeverFollowed: a 307 or 302 to another loopback host is
// not followed (it would carry the privateKey there, and a 302 would turn
// the order into a GET whose 200 looks like success).
func TestRedirectIsNeverFollowed(t *testing.T) {
	for _, status := range []int{307, 302} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			other := newHostileAPI(t, func(w http.ResponseWriter, r *http.Request, op string) {
				jsonAnswer(w, 200, `{"status":"Success","statusCode":"200","orderId":"null"}`)
			})
			h := newHostileAPI(t, func(w http.ResponseWriter, r *http.Request, op string) {
				http.Redirect(w, r, other.srv.URL+r.URL.Path, status)
			})
			dir := t.TempDir()
			manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n6123453622\n6123453623\n")
			out := filepath.Join(dir, "run")
			res := runCLI(t, map[string]string{"IQ_API_KEY": "hostile-key", "IQ_API_SECRET": "hostile-secret"},
				"run", "tn-order", manifest, "--out", out, "--endpoint", h.endpoint(), "--rate", "0", "--settle", "0s")
			assert.NotEqual(t, ExitOK, res.code)
			assert.Zero(t, other.count("tnOrder")+other.count("token"), "nothing reaches the other host")
			assert.Contains(t, res.stderr, "redirected to "+other.srv.URL)
			assert.Equal(t, 1, h.count("tnOrder"))
			for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
				assert.NotEqual(t, "ok", r["status"], "%v", r)
			}
		})
	}
}

// TestTokenFailureStopsTheRun: a token endpoint that refuses the
// credentials (or cannot be reached) stops the run at the first
// occurrence, names the endpoint and the variables to check, and exits 2
// since nothing was sent; before, each of 5,000 rows failed on its own.
func TestTokenFailureStopsTheRun(t *testing.T) {
	h := newHostileAPI(t, func(w http.ResponseWriter, r *http.Request, op string) {
		jsonAnswer(w, 200, `{"status":"Success","statusCode":"200"}`)
	})
	h.token = func(w http.ResponseWriter) {
		jsonAnswer(w, 401, `{"error":"invalid_client","error_description":"A valid OAuth client could not be found"}`)
	}
	dir := t.TempDir()
	var m strings.Builder
	m.WriteString("tn,note\n")
	for i := range 200 {
		fmt.Fprintf(&m, "312555%04d,n\n", 1000+i)
	}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), m.String())
	out := filepath.Join(dir, "run")
	res := runCLI(t, map[string]string{"IQ_API_KEY": "hostile-key", "IQ_API_SECRET": "wrong-secret"},
		"run", "tn-note", manifest, "--out", out, "--endpoint", h.endpoint(), "--rate", "0", "--batch-size", "1", "--concurrency", "4")
	assert.Equal(t, ExitUsage, res.code, "nothing was sent: %s", res.stderr)
	assert.Zero(t, h.count("tnNoteUpdate"))
	assert.LessOrEqual(t, h.count("token"), 4, "one try per worker at most, not one per row")
	assert.Contains(t, res.stderr, h.srv.URL+"/oauth2/token")
	assert.Contains(t, res.stderr, "IQ_API_KEY")
	assert.NotContains(t, res.stdout+res.stderr, "wrong-secret")
	for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
		assert.Equal(t, "failed", r["status"])
		assert.Equal(t, "not-sent", r["code"], "the resume sends them once the credentials are fixed")
	}
}

// TestResumeRetryFailed: rows the API refused (proven not applied) are in
// failed.csv; `resume --retry-failed` reconciles their batch first (the
// order is not on the account) and sends it again under the same
// customerOrderReference.
func TestResumeRetryFailed(t *testing.T) {
	var refuse sync.Map
	refuse.Store("on", true)
	var refs []string
	var mu sync.Mutex
	h := newHostileAPI(t, func(w http.ResponseWriter, r *http.Request, op string) {
		switch op {
		case "tnOrder":
			if v, _ := refuse.Load("on"); v == true {
				jsonAnswer(w, 200, `{"status":"Fields are Required: tn","statusCode":"414"}`)
				return
			}
			jsonAnswer(w, 200, `{"status":"Success","statusCode":"200","orderId":"null"}`)
		default: // orderList, tnDetail: nothing found
			jsonAnswer(w, 200, `{"status":"No Results Found","statusCode":"430"}`)
		}
	})
	h.mu.Lock()
	inner := h.answer
	h.answer = func(w http.ResponseWriter, r *http.Request, op string) {
		if op == "tnOrder" {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			refs = append(refs, string(body))
			mu.Unlock()
		}
		inner(w, r, op)
	}
	h.mu.Unlock()
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n6123453622\n6123453623\n")
	out := filepath.Join(dir, "run")
	envs := map[string]string{"IQ_API_KEY": "hostile-key", "IQ_API_SECRET": "hostile-secret"}
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--endpoint", h.endpoint(), "--rate", "0", "--settle", "0s")
	assert.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
		assert.Equal(t, "failed", r["status"], "%v", r)
	}
	assert.Len(t, readCSV(t, filepath.Join(out, "failed.csv")), 2, "refused rows are safe to send again")

	refuse.Store("on", false)
	res = runCLI(t, envs, "resume", out, "--retry-failed")
	assert.Equal(t, ExitOK, res.code, "stdout %s\nstderr %s", res.stdout, res.stderr)
	for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
		assert.Equal(t, "ok", r["status"], "%v", r)
	}
	assert.Empty(t, readCSV(t, filepath.Join(out, "failed.csv")))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, refs, 2, "sent once, refused; sent again once")
	ref := func(body string) string {
		var v struct {
			TnOrder struct {
				CustomerOrderReference string `json:"customerOrderReference"`
			} `json:"tnOrder"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &v))
		return v.TnOrder.CustomerOrderReference
	}
	assert.NotEmpty(t, ref(refs[0]))
	assert.Equal(t, ref(refs[0]), ref(refs[1]), "the same customerOrderReference")
}
