package cli

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestCrashResumeExactlyOnce is the engine's promise under fire: a tn-order
// run against a sandbox that fails 2% of requests and loses 1% of answers
// after applying them, killed with SIGKILL at random moments and resumed each
// time until it finishes. Then no number may have been applied twice, every
// row must have exactly one final outcome, and the results must agree with
// the sandbox's state.
//
// The short form (CI) orders 2,000 numbers in batches of 10; set
// IQBULK_CRASH_N=20000 (bench/crash-resume.sh) for the full one.
func TestCrashResumeExactlyOnce(t *testing.T) {
	n, batch := 2000, "10"
	if v := os.Getenv("IQBULK_CRASH_N"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err)
		batch = "100"
	}
	kills := 10
	dir := t.TempDir()
	faults, err := sandbox.ParseFaults("error=0.02,lost=0.01")
	require.NoError(t, err)
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), Faults: faults})
	require.NoError(t, err)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	endpoint := hs.URL + "/Services/1.0.0"

	tns := srv.AvailableTNs(n)
	require.Len(t, tns, n)
	var m strings.Builder
	m.WriteString("tn,site\n")
	for i, tn := range tns {
		fmt.Fprintf(&m, "%s,site-%d\n", tn, i)
	}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), m.String())
	out := filepath.Join(dir, "run")

	rng := rand.New(rand.NewPCG(1, 2))
	killed, runs := 0, 0
	start := time.Now()
	for {
		// No lag fault here: the sandbox shows an order at once, so a
		// short settle window is safe (bench/ambiguity.sh covers lag).
		args := []string{"resume", out, "--endpoint", endpoint, "--rate", "50", "--concurrency", "4", "--settle", "1s"}
		if !startedRun(out) {
			args = []string{"run", "tn-order", manifest, "--out", out, "--endpoint", endpoint, "--rate", "50", "--concurrency", "4", "--batch-size", batch, "--settle", "1s"}
		}
		runs++
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
		cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		if killed < kills {
			// The first kill waits for the first tnOrder request: the
			// planner runs at most a few dozen batches ahead of the sends
			// and the manifest holds 200, so it lands while the plan is
			// still being made and batches have been sent (a resume must
			// continue that plan). The others land at random.
			wait := time.After(time.Duration(50+rng.IntN(600)) * time.Millisecond)
			if killed == 0 {
				wait = firstRequest(filepath.Join(out, "run.log"), `"op":"tnOrder"`, done)
			}
			select {
			case err = <-done:
			case <-wait:
				_ = cmd.Process.Kill() // SIGKILL: no cleanup of any kind
				<-done                 // reaped; its exit status says only "killed"
				killed++
				continue
			}
		} else {
			err = <-done
		}
		code := 0
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			code = xe.ExitCode()
		} else {
			require.NoError(t, err)
		}
		if code == ExitInterrupted {
			continue // a batch left in doubt: resume reconciles it
		}
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, code, "run %d stderr:\n%s", runs, stderr.String())
		break
	}
	t.Logf("%d numbers: %d runs, %d SIGKILLs, %s", n, runs, killed, time.Since(start).Round(time.Millisecond))

	// No number applied twice: for every applied tnOrder, the numbers it
	// activated are those it named minus those its status excluded.
	audit, err := sandbox.ReadAudit(filepath.Join(dir, "sandbox"))
	require.NoError(t, err)
	applied := map[string]int{}
	lost := 0
	for _, e := range audit {
		if e.Op != "tnOrder" || !e.Applied {
			continue
		}
		if e.Fault == "lost" {
			lost++
		}
		excluded := map[string]bool{}
		for _, x := range inteliquent.ParseTNStatus(e.Status).Entries {
			excluded[string(x.TN)] = true
		}
		for _, tn := range e.Numbers {
			if !excluded[tn] {
				applied[tn]++
			}
		}
	}
	for tn, c := range applied {
		require.Equal(t, 1, c, "number %s was applied %d times", tn, c)
	}
	// The sandbox refuses a second order of a number already on the
	// account, so counting applied orders alone would hide a resend: no
	// number may be sent again after a tnOrder applied it.
	assert.Empty(t, sandbox.ResentAfterApplied(audit, "tnOrder"), "numbers sent again after they were ordered")

	// Every manifest row has exactly one final outcome, and it agrees with
	// the sandbox: every row ok, every number on the account.
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, n)
	counts := map[string]int{}
	for i, r := range rows {
		counts[r["status"]]++
		assert.Equal(t, tns[i], r["tn"], "results stay in manifest order")
		assert.Equal(t, fmt.Sprintf("site-%d", i), r["site"])
	}
	assert.Equal(t, map[string]int{"ok": n}, counts)
	api, err := inteliquent.New(inteliquent.Config{BaseURL: endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	srv.SetFaults(sandbox.Faults{})
	assigned, err := api.TnAssignedList(context.Background(), &inteliquent.TnAssignedListRequest{})
	require.NoError(t, err)
	onAccount := map[string]bool{}
	for _, it := range assigned.TnBasicList.TnBasicItem {
		onAccount[string(it.TN)] = true
	}
	for _, tn := range tns {
		require.True(t, onAccount[tn], "%s is ok in the results but not on the account", tn)
	}
	assert.Len(t, applied, n, "every number applied exactly once")
	t.Logf("outcomes %v; %d tnOrder answers lost after being applied", counts, lost)
	// Planning and sending overlap (the planner runs only a few batches
	// ahead of the sends), so kills land while the manifest is planned as
	// well as while it is sent: a resume then continues the plan of a run
	// that has sent batches already.
	logData, err := os.ReadFile(filepath.Join(out, "run.log"))
	require.NoError(t, err)
	continued := strings.Count(string(logData), `"msg":"planning continues"`)
	require.Positive(t, continued, "no kill landed during planning")
	t.Logf("%d resumes continued an interrupted plan", continued)
}

// TestCtrlCStopsCleanly: the first SIGINT stops taking batches, lets those
// in flight finish and commit, writes results showing where the run stands,
// prints how to resume and exits 3; the resume then finishes every row
// without sending any batch twice.
func TestCtrlCStopsCleanly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to another process on Windows (Ctrl-C there is a console event)")
	}
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	endpoint := hs.URL + "/Services/1.0.0"
	tns := srv.AvailableTNs(100)
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n"+strings.Join(tns, "\n")+"\n")
	out := filepath.Join(dir, "run")

	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "run", "tn-order", manifest, "--out", out,
		"--endpoint", endpoint, "--rate", "20", "--batch-size", "1", "--concurrency", "2")
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	// Interrupt once some batches are done (the rate keeps the run ~5 s long).
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Audit()) < 5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	err = cmd.Wait()
	var xe *exec.ExitError
	require.ErrorAs(t, err, &xe, "stderr:\n%s", stderr.String())
	assert.Equal(t, ExitInterrupted, xe.ExitCode(), stderr.String())
	assert.Contains(t, stderr.String(), "iqbulk resume "+out)

	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, len(tns), "results show every row, done or not")
	done := 0
	for _, r := range rows {
		if r["status"] == "ok" {
			done++
		} else {
			// Never sent: failed (proven not applied), but owned by the
			// run's resume, so not in failed.csv, which a new run could
			// send a second time.
			assert.Equal(t, "failed", r["status"])
			assert.Equal(t, "not-sent", r["code"])
			assert.Contains(t, r["message"], "resume")
		}
	}
	assert.Empty(t, readCSV(t, filepath.Join(out, "failed.csv")), "rows the resume will send are not in failed.csv")
	assert.Positive(t, done)
	assert.Less(t, done, len(tns), "the run stopped early")
	sent := len(srv.Audit())
	assert.Equal(t, done, sent, "every batch sent before the stop was committed")

	res := runCLI(t, map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}, "resume", out, "--endpoint", endpoint, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	per := map[string]int{}
	for _, a := range srv.Audit() {
		for _, tn := range a.Numbers {
			per[tn]++
		}
	}
	for _, tn := range tns {
		assert.Equal(t, 1, per[tn], "%s sent %d times", tn, per[tn])
	}
}

// firstRequest fires once the run log names a request (needle), polling
// it; it never fires if the process ends first (done is only peeked).
func firstRequest(log, needle string, done <-chan error) <-chan time.Time {
	fire := make(chan time.Time, 1)
	go func() {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if len(done) > 0 {
				return
			}
			if data, err := os.ReadFile(log); err == nil && strings.Contains(string(data), needle) {
				fire <- time.Now()
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return fire
}
