package sandbox

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPersistenceAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h := newHarness(t, Options{StateDir: dir, Now: clock.Now})
	h.clock = clock
	tns := h.srv.AvailableTNs(105)
	h.call("tnOrder", orderBody("sync", tns[:3], nil))
	out := h.call("tnOrder", orderBody("bg", tns[3:], nil))
	bgID := out["orderId"].(string)
	h.call("tnReserve", map[string]any{"tnReserve": map[string]any{"tnList": tnItems(h.srv.AvailableTNs(2), nil)}})
	id, _ := strconv.Atoi(bgID)
	h.call("orderAddNote", map[string]any{"orderId": id, "orderNote": "persisted"})

	// a second process cannot share the directory
	_, err := New(Options{StateDir: dir})
	require.Error(t, err)
	assert.True(t, errors.Is(err, errLocked))

	require.NoError(t, h.srv.Close())
	h.ts.Close()

	// append a torn line, as a killed process might leave
	f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"t":"2026-03-02T15:00:00Z","op":"tnOrder","req":{"tnOr`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	clock.Advance(time.Minute)
	srv2, err := New(Options{StateDir: dir, Now: clock.Now})
	require.NoError(t, err)
	ts2 := httptest.NewServer(srv2)
	h2 := &harness{t: t, srv: srv2, ts: ts2, clock: clock}
	t.Cleanup(func() { ts2.Close(); _ = srv2.Close() })
	h2.token = h2.fetchToken(DemoKey, DemoSecret)
	// tokens are stateless: the first process's token still works
	status, _ := h2.raw("/Services/1.0.0/tnAssignedList", "Bearer "+h.token, []byte(`{"privateKey":"`+DemoKey+`"}`))
	assert.Equal(t, http.StatusOK, status)

	st := assignedStatus(h2)
	for _, tn := range tns {
		assert.Equal(t, "In Service", st[tn], tn)
	}
	d := h2.call("orderDetail", map[string]any{"customerOrderReference": "bg"})
	assert.Equal(t, bgID, strconv.Itoa(int(dig(d, "orderDetailResponse", "orderId").(float64))))
	assert.Len(t, list(d, "orderDetailResponse", "orderNotes"), 1)
	assert.Len(t, list(h2.call("tnReservedList", nil), "reservedTns"), 2)
	// the order id sequence continues
	out = h2.call("tnOrder", orderBody("next", h2.srv.AvailableTNs(101), nil))
	next, _ := strconv.Atoi(out["orderId"].(string))
	assert.Equal(t, id+1, next)

	audit, err := ReadAudit(dir)
	require.NoError(t, err)
	require.Len(t, audit, 5)
	assert.Equal(t, "tnOrder", audit[0].Op)
	assert.Equal(t, "sync", audit[0].CustomerOrderReference)
	assert.Equal(t, tns[:3], audit[0].Numbers)
	assert.True(t, audit[0].Applied)
	assert.Equal(t, bgID, audit[1].OrderID)
	assert.Len(t, srv2.Audit(), 1, "in-memory audit holds this process's entries")

	// Reset starts over
	require.NoError(t, srv2.Close())
	srv3, err := New(Options{StateDir: dir, Reset: true})
	require.NoError(t, err)
	defer srv3.Close()
	assert.Equal(t, stAvailable, srv3.st.status(mustTN(t, tns[0]), srv3.simNowLocked()))
	audit, err = ReadAudit(dir)
	require.NoError(t, err)
	assert.Empty(t, audit)
}

func mustTN(t *testing.T, s string) uint64 {
	t.Helper()
	n, ok := parseTN(s)
	require.True(t, ok)
	return n
}

func TestReadAuditErrors(t *testing.T) {
	dir := t.TempDir()
	entries, err := ReadAudit(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
	require.NoError(t, os.WriteFile(filepath.Join(dir, auditFile), []byte("{bad\n{\"op\":\"tnOrder\"}\n"), 0o600))
	_, err = ReadAudit(dir)
	assert.Error(t, err, "a bad line before the last is corruption")
}

// A process killed between writing a change to the journal and to the
// audit (the embedded sandbox dies with iqbulk) leaves a change the audit
// never heard of: reopening the state audits it, once, as recovered, with
// the numbers it applied.
func TestReopenAuditsWhatTheJournalHolds(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Options{StateDir: dir})
	tns := h.srv.AvailableTNs(5)
	h.call("tnOrder", orderBody("first", tns[:2], nil))
	h.call("tnOrder", orderBody("killed", tns[2:], nil))
	require.NoError(t, h.srv.Close())
	h.ts.Close()

	// Drop the last audit line: the process died before writing it.
	path := filepath.Join(dir, auditFile)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, 2)
	var lost AuditEntry
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &lost))
	require.NoError(t, os.WriteFile(path, []byte(lines[0]), 0o600))

	for range 2 { // the second reopening finds nothing to recover
		srv, err := New(Options{StateDir: dir})
		require.NoError(t, err)
		require.NoError(t, srv.Close())
		audit, err := ReadAudit(dir)
		require.NoError(t, err)
		require.Len(t, audit, 2)
		assert.False(t, audit[0].Recovered)
		got := audit[1]
		assert.True(t, got.Recovered)
		assert.True(t, got.Applied)
		assert.Equal(t, "tnOrder", got.Op)
		assert.Equal(t, "killed", got.CustomerOrderReference)
		assert.Equal(t, tns[2:], got.AppliedNumbers)
		// What the killed process would have audited, but for its answer.
		assert.Equal(t, lost.Numbers, got.Numbers)
		assert.Equal(t, lost.AppliedNumbers, got.AppliedNumbers)
		assert.Equal(t, lost.OrderID, got.OrderID)
		assert.Equal(t, lost.StatusCode, got.StatusCode)
		assert.Equal(t, lost.Time, got.Time)
		assert.Empty(t, AppliedTwice(audit, "tnOrder"))
	}
}
