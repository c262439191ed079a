package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// stepGate sits between iqbulk and the sandbox and stops the world at one
// request: the nth request of op. With apply false the request never
// reaches the sandbox (the process dies between two requests); with apply
// true the sandbox applies it and the answer is held (the process dies
// between a request and its answer). Either way the test is told (hit),
// kills the process, and then releases the gate.
type stepGate struct {
	srv     http.Handler
	op      string
	nth     int
	apply   bool
	mu      sync.Mutex
	seen    int
	hit     chan struct{}
	release chan struct{}
}

func newStepGate(srv http.Handler, op string, nth int, apply bool) *stepGate {
	return &stepGate{srv: srv, op: op, nth: nth, apply: apply, hit: make(chan struct{}), release: make(chan struct{})}
}

func (g *stepGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/"+g.op) {
		g.mu.Lock()
		g.seen++
		stop := g.seen == g.nth
		g.mu.Unlock()
		if stop {
			if g.apply {
				g.srv.ServeHTTP(httptest.NewRecorder(), r)
			}
			close(g.hit)
			<-g.release
			return // the process that sent it is dead: nobody reads this
		}
	}
	g.srv.ServeHTTP(w, r)
}

// startIqbulk starts the binary (as the crash tests do) and returns a
// function that waits for its exit code, and one that SIGKILLs it.
func startIqbulk(t *testing.T, args ...string) (wait func() (int, string), kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	wait = func() (int, string) {
		err := <-done
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			return xe.ExitCode(), stderr.String()
		}
		require.NoError(t, err)
		return 0, stderr.String()
	}
	kill = func() { _ = cmd.Process.Kill() } // SIGKILL: no cleanup of any kind
	return wait, kill
}

// activationWorld is a sandbox holding one on-demand port-in order whose
// numbers are spread over several groups (losing carriers), all available
// for activation today.
type activationWorld struct {
	srv      *sandbox.Server
	endpoint string // the sandbox behind the gate (if any)
	direct   string // the sandbox itself
	tns      []string
	groups   map[string][]string // available group -> its numbers
	gate     *stepGate
}

func newActivationWorld(t *testing.T) *activationWorld {
	t.Helper()
	clock := &testClock{t: time.Now()}
	s := newSimEnv(t, sandbox.Options{ClockSpeed: 1, Now: clock.Now})
	dir := t.TempDir()
	// Four numbers of each of three NPA-NXX whose losing carriers (the
	// sandbox's groups) differ.
	var tns []string
	carriers, taken := map[string]bool{}, map[string]int{}
	for _, tn := range s.srv.PortableTNs(400) {
		nxx := tn[:6]
		var n int
		_, _ = fmt.Sscan(nxx, &n)
		c := fmt.Sprint(n % 5)
		if taken[nxx] == 0 && (carriers[c] || len(carriers) == 3) {
			continue
		}
		if taken[nxx] == 4 {
			continue
		}
		carriers[c] = true
		taken[nxx]++
		tns = append(tns, tn)
	}
	require.Len(t, tns, 12, "three groups of four numbers")
	due := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	var m strings.Builder
	m.WriteString(portHeader)
	for _, tn := range tns {
		m.WriteString(portRow(tn, "A0001", tns[0], "33124", due, "Y"))
	}
	res := s.runNoFollow(t, "port-in", writeFile(t, filepath.Join(dir, "port.csv"), m.String()), filepath.Join(dir, "port"))
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s\n%s", res.stdout, res.stderr)
	clock.Advance(3 * 24 * time.Hour) // validated, FOC received, port date reached

	w := &activationWorld{srv: s.srv, direct: s.endpoint, tns: tns, groups: map[string][]string{}}
	lists, err := s.api.PortInOrderTnList(context.Background(), &inteliquent.PortInOrderTnListRequest{})
	require.NoError(t, err)
	orders := map[string]bool{}
	for _, o := range lists.OrderList.OrderType {
		orders[string(o.OrderID)] = true
	}
	require.Len(t, orders, 1, "one order")
	for id := range orders {
		avail, err := s.api.PortInOrderAvailableActivation(context.Background(), &inteliquent.PortInOrderAvailableActivationRequest{
			OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(id)}})
		require.NoError(t, err)
		for _, g := range avail.AvailableActivationList {
			for _, it := range g.TnList.TnItem {
				w.groups[g.TnGroup] = append(w.groups[g.TnGroup], string(it.TN))
			}
		}
	}
	require.GreaterOrEqual(t, len(w.groups), 3, "the test needs several groups: %v", w.groups)
	return w
}

// gated puts a gate in front of the sandbox.
func (w *activationWorld) gated(t *testing.T, op string, nth int, apply bool) {
	w.gate = newStepGate(w.srv, op, nth, apply)
	hs := httptest.NewServer(w.gate)
	t.Cleanup(hs.Close)
	w.endpoint = hs.URL + "/Services/1.0.0"
}

// checkActivatedOnce: every group was named by exactly one activation that
// the sandbox processed, and it succeeded; every row is ok and its
// activation column says Success.
func (w *activationWorld) checkActivatedOnce(t *testing.T, out string) {
	t.Helper()
	named, succeeded := map[string]int{}, map[string]int{}
	for _, e := range w.srv.Audit() {
		if e.Op != inteliquent.OpPortInOrderActivate || !e.Processed {
			continue
		}
		st := inteliquent.ParseActivationStatus(e.Status)
		require.True(t, st.Parsed, "audit status %q", e.Status)
		for _, g := range st.Groups {
			named[g.TnGroup]++
			if g.OK {
				succeeded[g.TnGroup]++
			}
		}
	}
	want := map[string]int{}
	for g := range w.groups {
		want[g] = 1
	}
	assert.Equal(t, want, named, "each group's activation sent once (never again after it was applied)")
	assert.Equal(t, want, succeeded, "each group activated once")

	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, len(w.tns))
	for _, r := range rows {
		assert.Equal(t, "ok", r["status"], "%v", r)
		assert.Equal(t, "Activated", r["tn_status"], "%v", r)
		assert.Equal(t, "Success", r["activation"], "row %s: its group was activated and the row says so: %v", r["tn"], r)
	}
}

func (w *activationWorld) manifest(t *testing.T) string {
	return writeFile(t, filepath.Join(t.TempDir(), "act.csv"), "tn\n"+strings.Join(w.tns, "\n")+"\n")
}

// TestPortInActivateKilledBetweenActivations: the process is SIGKILLed
// after the first group's activation was answered and committed, before the
// second is sent. The resume goes on at the second group; no group is
// activated twice and every row says its group was activated.
func TestPortInActivateKilledBetweenActivations(t *testing.T) {
	w := newActivationWorld(t)
	w.gated(t, inteliquent.OpPortInOrderActivate, 2, false)
	out := filepath.Join(t.TempDir(), "act")
	wait, kill := startIqbulk(t, "run", "port-in-activate", w.manifest(t), "--out", out, "--endpoint", w.endpoint, "--rate", "0", "--settle", "1s")
	select {
	case <-w.gate.hit:
	case <-time.After(60 * time.Second):
		kill()
		_, stderr := wait()
		t.Fatalf("the second activation never came:\n%s", stderr)
	}
	kill()
	wait()
	close(w.gate.release)

	code, stderr := resumeIqbulk(t, out, w.endpoint)
	require.Equal(t, ExitOK, code, stderr)
	w.checkActivatedOnce(t, out)
}

// TestPortInActivateKilledBeforeAnswer: the sandbox applies the second
// activation and the process is SIGKILLed before its answer arrives. The
// resume reconciles that step (its group is no longer available: applied)
// and never sends it again.
func TestPortInActivateKilledBeforeAnswer(t *testing.T) {
	w := newActivationWorld(t)
	w.gated(t, inteliquent.OpPortInOrderActivate, 2, true)
	out := filepath.Join(t.TempDir(), "act")
	wait, kill := startIqbulk(t, "run", "port-in-activate", w.manifest(t), "--out", out, "--endpoint", w.endpoint, "--rate", "0", "--settle", "1s")
	select {
	case <-w.gate.hit:
	case <-time.After(60 * time.Second):
		kill()
		_, stderr := wait()
		t.Fatalf("the second activation never came:\n%s", stderr)
	}
	kill()
	wait()
	close(w.gate.release)

	code, stderr := resumeIqbulk(t, out, w.endpoint)
	require.Equal(t, ExitOK, code, stderr)
	w.checkActivatedOnce(t, out)
	reconciled := 0
	for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
		if strings.Contains(r["message"], "reconciled") {
			reconciled++
		}
	}
	assert.NotZero(t, reconciled, "the rows of the group whose answer was lost say it was reconciled")
}

// TestPortInActivateLostSecondAnswer: the sandbox loses the answer of the
// second activation (applied, connection closed). The run reconciles that
// step after the settle window, in the same process, and finishes: each
// group activated once.
func TestPortInActivateLostSecondAnswer(t *testing.T) {
	w := newActivationWorld(t)
	w.srv.SetFaults(sandbox.Faults{LostOp: inteliquent.OpPortInOrderActivate, LostNth: 2})
	out := filepath.Join(t.TempDir(), "act")
	wait, _ := startIqbulk(t, "run", "port-in-activate", w.manifest(t), "--out", out, "--endpoint", w.direct, "--rate", "0", "--settle", "1s")
	code, stderr := wait()
	require.Equal(t, ExitOK, code, stderr)
	lost := 0
	for _, e := range w.srv.Audit() {
		if e.Op == inteliquent.OpPortInOrderActivate && e.Fault == sandbox.FaultLost {
			lost++
		}
	}
	require.Equal(t, 1, lost, "the second activation's answer was lost")
	w.checkActivatedOnce(t, out)
}

func resumeIqbulk(t *testing.T, out, endpoint string) (int, string) {
	t.Helper()
	wait, _ := startIqbulk(t, "resume", out, "--endpoint", endpoint, "--settle", "1s")
	return wait()
}

// forwardWorld: eight numbers on the account and one that is not (its 432
// fails every request holding it), so a tn-forward batch of nine splits:
// nine numbers refused, four answered, five refused, two answered, three
// refused, two answered, one refused (seven tnForward requests).
type forwardWorld struct {
	srv      *sandbox.Server
	direct   string
	endpoint string
	gate     *stepGate
	tns      []string // the manifest's, the bad one last
	bad      string
}

func newForwardWorld(t *testing.T) *forwardWorld {
	t.Helper()
	s := newSimEnv(t, sandbox.Options{})
	assigned, err := s.api.TnAssignedList(context.Background(), &inteliquent.TnAssignedListRequest{})
	require.NoError(t, err)
	var tns []string
	for _, it := range assigned.TnBasicList.TnBasicItem {
		if it.TnStatus == "In Service" && len(tns) < 8 {
			tns = append(tns, string(it.TN))
		}
	}
	require.Len(t, tns, 8)
	sort.Strings(tns)
	bad := s.srv.AvailableTNs(1)[0]
	return &forwardWorld{srv: s.srv, direct: s.endpoint, endpoint: s.endpoint, tns: append(tns, bad), bad: bad}
}

func (w *forwardWorld) gated(t *testing.T, nth int) {
	w.gate = newStepGate(w.srv, inteliquent.OpTnForward, nth, false)
	hs := httptest.NewServer(w.gate)
	t.Cleanup(hs.Close)
	w.endpoint = hs.URL + "/Services/1.0.0"
}

func (w *forwardWorld) manifest(t *testing.T) string {
	var m strings.Builder
	m.WriteString("tn,forward_to\n")
	for _, tn := range w.tns {
		fmt.Fprintf(&m, "%s,3123752629\n", tn)
	}
	return writeFile(t, filepath.Join(t.TempDir(), "fwd.csv"), m.String())
}

// check: every number on the account ok, the other excluded (432); no
// number sent again after a request applied it, except those of allowed
// (the request whose answer was lost: forwarding is idempotent, and resume
// sends it again).
func (w *forwardWorld) check(t *testing.T, out string, allowed map[string]bool) {
	t.Helper()
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, len(w.tns))
	for _, r := range rows {
		want := "ok"
		if r["tn"] == w.bad {
			want = "excluded"
		}
		assert.Equal(t, want, r["status"], "%v", r)
	}
	audit := w.srv.Audit()
	resent := sandbox.ResentAfterApplied(audit, inteliquent.OpTnForward)
	for tn, n := range resent {
		if allowed[tn] && n == 1 {
			delete(resent, tn)
		}
	}
	assert.Empty(t, resent, "numbers sent again after their forwarding was applied and answered")
	applied := map[string]int{}
	for _, e := range audit {
		if e.Op == inteliquent.OpTnForward && e.Applied {
			for _, tn := range e.AppliedNumbers {
				applied[tn]++
			}
		}
	}
	for _, tn := range w.tns[:8] {
		want := 1
		if allowed[tn] {
			want = 2
		}
		assert.Equal(t, want, applied[tn], "%s applied", tn)
	}
}

// TestForwardSplitKilledBetweenRequests: SIGKILL after the split's first
// answered request (four numbers forwarded), before the next is sent. The
// resume goes on at the next request: the four are not sent again.
func TestForwardSplitKilledBetweenRequests(t *testing.T) {
	w := newForwardWorld(t)
	w.gated(t, 3) // 1: all nine (432), 2: the first four (applied), 3: the next five
	out := filepath.Join(t.TempDir(), "fwd")
	wait, kill := startIqbulk(t, "run", "tn-forward", w.manifest(t), "--out", out, "--endpoint", w.endpoint, "--rate", "0", "--settle", "1s")
	select {
	case <-w.gate.hit:
	case <-time.After(60 * time.Second):
		kill()
		_, stderr := wait()
		t.Fatalf("the third request never came:\n%s", stderr)
	}
	kill()
	wait()
	close(w.gate.release)

	st, err := checkpoints.Open(context.Background(), filepath.Join(out, "state.db"))
	require.NoError(t, err)
	decided := map[string]string{}
	for r, err := range st.Rows(context.Background()) {
		require.NoError(t, err)
		decided[r.Key] = r.Status
	}
	require.NoError(t, st.Close())
	for i, tn := range w.tns {
		want := ""
		if i < 4 {
			want = "ok"
		}
		assert.Equal(t, want, decided[tn], "row %d: the answered request's rows (only) are decided before the kill", i+1)
	}
	code, stderr := resumeIqbulk(t, out, w.endpoint)
	require.Equal(t, ExitRowsNotOK, code, stderr) // the bad number is excluded
	w.check(t, out, nil)
}

// TestForwardSplitLostSecondAnswer: the answer of the split's first
// applied request is lost and the client may not retry (--retries 0): the
// step is left in doubt and the run ends resumable; the resume sends that
// request again (forwarding is idempotent) and nothing else twice.
func TestForwardSplitLostSecondAnswer(t *testing.T) {
	w := newForwardWorld(t)
	w.srv.SetFaults(sandbox.Faults{LostOp: inteliquent.OpTnForward, LostNth: 2})
	out := filepath.Join(t.TempDir(), "fwd")
	wait, _ := startIqbulk(t, "run", "tn-forward", w.manifest(t), "--out", out, "--endpoint", w.direct, "--rate", "0", "--settle", "1s", "--retries", "0")
	code, stderr := wait()
	require.Equal(t, ExitInterrupted, code, stderr)
	w.srv.SetFaults(sandbox.Faults{})
	code, stderr = resumeIqbulk(t, out, w.direct)
	require.Equal(t, ExitRowsNotOK, code, stderr)
	w.check(t, out, map[string]bool{w.tns[0]: true, w.tns[1]: true, w.tns[2]: true, w.tns[3]: true})
}

// TestPortInCheckFirstLostOrderAnswer: port-in --check-first is two steps,
// the check (a read) and the order (its own intent under <batch ref>-s1).
// The order's answer is lost: the step is reconciled by orderList under its
// own reference, found, and never sent again; the number the check held
// back is excluded, the others pending on the order found.
func TestPortInCheckFirstLostOrderAnswer(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	tns := s.srv.PortableTNs(4)
	require.Len(t, tns, 4)
	due := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	var m strings.Builder
	m.WriteString(portHeader)
	for _, tn := range append(tns, "3123489651") { // the last is ours already: not portable
		m.WriteString(portRow(tn, "A0001", tns[0], "33124", due, "N"))
	}
	s.srv.SetFaults(sandbox.Faults{LostOp: inteliquent.OpPortInOrder, LostNth: 1})
	out := filepath.Join(t.TempDir(), "port")
	wait, _ := startIqbulk(t, "run", "port-in", writeFile(t, filepath.Join(t.TempDir(), "port.csv"), m.String()), "--out", out,
		"--endpoint", s.endpoint, "--rate", "0", "--settle", "1s", "--check-first")
	code, stderr := wait()
	require.Equal(t, ExitRowsNotOK, code, stderr)

	orders, lost := 0, 0
	for _, e := range s.srv.Audit() {
		if e.Op != inteliquent.OpPortInOrder {
			continue
		}
		orders++
		if e.Fault == sandbox.FaultLost {
			lost++
		}
		assert.True(t, strings.HasSuffix(e.CustomerOrderReference, "-s1"), "the order step's own reference: %s", e.CustomerOrderReference)
		assert.NotContains(t, e.Numbers, "3123489651", "held back by the check")
	}
	assert.Equal(t, 1, orders, "the order whose answer was lost is found, never sent again")
	assert.Equal(t, 1, lost)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 5)
	for _, r := range rows[:4] {
		assert.Equal(t, "pending", r["status"], "%v", r)
		assert.Contains(t, r["message"], "customerOrderReference", "%v", r)
		assert.NotEmpty(t, r["order_id"], "%v", r)
	}
	assert.Equal(t, "excluded", rows[4]["status"], "%v", rows[4])
	assert.Contains(t, rows[4]["message"], "held back by --check-first")
}
