package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// soakPhase is one job of the soak sequence.
type soakPhase struct {
	job      string
	manifest string
	// ops are the state-changing operations the job sends.
	op string
	// final are the outcomes a row may end with.
	final []string
}

// soakFigures is what a phase measured.
type soakFigures struct {
	Job        string         `json:"job"`
	Rows       int            `json:"rows"`
	Outcomes   map[string]int `json:"outcomes"`
	NotFinal   int            `json:"not_final"`
	Duplicates int            `json:"duplicates"`
	Applied    int            `json:"applied"`
	Runs       int            `json:"runs"`
	Kills      int            `json:"kills"`
	// PlanResumes counts resumes that continued a plan a kill interrupted
	// (planning and sending overlap, so kills land in both).
	PlanResumes int            `json:"plan_resumes"`
	Retries     int64          `json:"retries"`
	Requests    int64          `json:"requests"`
	Faults      map[string]int `json:"faults"`
	Seconds     float64        `json:"seconds"`
}

// TestSoakOrderFeatureDisconnect is the life of a number block under fire:
// tn-order, then tn-feature (a calling name on every number), then
// tn-disconnect, each with --follow until its orders are final, against a
// sandbox that fails 5% of requests, loses 2% of answers after applying
// them and delays 5% by 50 ms; every job is SIGKILLed at random moments
// and resumed until it finishes. Then, for each job: no number applied
// twice by its operation (from the sandbox's audit log), every row with a
// final outcome, and the sandbox's end state agrees (every number ordered,
// given its calling name, and disconnected: none is left In Service).
//
// The short form (CI) runs 200 numbers in batches of 10 at --rate 100 with
// 3 kills per job, each within 350 ms of a start; IQBULK_SOAK_N=100000
// (bench/soak.sh) runs the full one in batches of 100 at --rate 100
// (IQBULK_SOAK_RATE) with 10 kills per job, each at a random moment within
// 80% of the job's sending time at that rate (at least 350 ms).
// IQBULK_SOAK_FIGURES=FILE writes the figures as JSON lines.
func TestSoakOrderFeatureDisconnect(t *testing.T) {
	n, batch, kills, rate, killMax := 200, "10", 3, "100", 300*time.Millisecond
	if v := os.Getenv("IQBULK_SOAK_N"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err)
		batch, kills, rate = "100", 10, "100"
	}
	if v := os.Getenv("IQBULK_SOAK_RATE"); v != "" {
		rate = v
	}
	if os.Getenv("IQBULK_SOAK_N") != "" {
		// kills spread over most of a job's sending time at the rate
		r, err := strconv.ParseFloat(rate, 64)
		require.NoError(t, err)
		if r > 0 {
			killMax = max(killMax, time.Duration(float64(n)/100/r*0.8*float64(time.Second)))
		}
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	faults, err := sandbox.ParseFaults("error=0.05,lost=0.02,spike=0.05:50ms,seed=11")
	require.NoError(t, err)
	// Simulated time runs 1000 times faster, so orders close in moments
	// (12 s Incomplete, then routing at 4 numbers a second).
	srv, err := sandbox.New(sandbox.Options{StateDir: state, Faults: faults, ClockSpeed: 1000})
	require.NoError(t, err)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	endpoint := hs.URL + "/Services/1.0.0"

	tns := srv.AvailableTNs(n)
	require.Len(t, tns, n)
	write := func(name, header string, row func(i int, tn string) string) string {
		var b strings.Builder
		b.WriteString(header + "\n")
		for i, tn := range tns {
			b.WriteString(row(i, tn) + "\n")
		}
		return writeFile(t, filepath.Join(dir, name), b.String())
	}
	phases := []soakPhase{
		{"tn-order", write("order.csv", "tn,site", func(i int, tn string) string { return fmt.Sprintf("%s,site-%d", tn, i) }),
			"tnOrder", []string{"ok"}},
		// ok, or excluded where the rate center offers no CNAM
		{"tn-feature", write("feature.csv", "tn,calling_name,site", func(i int, tn string) string { return fmt.Sprintf("%s,ACME SOAK,site-%d", tn, i) }),
			"tnFeatureOrder", []string{"ok", "excluded"}},
		{"tn-disconnect", write("disconnect.csv", "tn,site", func(i int, tn string) string { return fmt.Sprintf("%s,site-%d", tn, i) }),
			"tnDisconnect", []string{"ok"}},
	}

	var figuresOut *os.File
	if p := os.Getenv("IQBULK_SOAK_FIGURES"); p != "" {
		figuresOut, err = os.Create(p)
		require.NoError(t, err)
		defer figuresOut.Close()
	}
	rng := rand.New(rand.NewPCG(7, 11))
	auditSeen := 0
	for _, ph := range phases {
		out := filepath.Join(dir, ph.job)
		// The sandbox shows every change at once (no lag fault here), so
		// a short settle window is safe; IQBULK_SOAK_SETTLE sets it.
		settle := cmp.Or(os.Getenv("IQBULK_SOAK_SETTLE"), "1s")
		common := []string{"--endpoint", endpoint, "--rate", rate, "--concurrency", "4", "--settle", settle,
			"--follow", "--poll-interval", "20ms", "--follow-timeout", "30m", "--yes"}
		fig := soakFigures{Job: ph.job, Rows: n, Faults: map[string]int{}}
		start := time.Now()
		lastSummary := ""
		for {
			args := append([]string{"resume", out}, common...)
			if !startedRun(out) {
				args = append([]string{"run", ph.job, ph.manifest, "--out", out, "--batch-size", batch}, common...)
			}
			fig.Runs++
			code, killed := runKillable(t, args, fig.Kills < kills, 50*time.Millisecond+time.Duration(rng.Int64N(int64(killMax))))
			if killed {
				fig.Kills++
				continue
			}
			if s, err := readSummary(out); err == nil && s.Finished != lastSummary {
				lastSummary = s.Finished
				fig.Retries += s.Retries
				fig.Requests += s.Requests
			}
			if code == ExitInterrupted {
				continue // a batch left in doubt: resume reconciles it
			}
			require.Contains(t, []int{ExitOK, ExitRowsNotOK}, code, "%s run %d", ph.job, fig.Runs)
			break
		}
		fig.Seconds = time.Since(start).Seconds()
		if logData, err := os.ReadFile(filepath.Join(out, "run.log")); err == nil {
			fig.PlanResumes = strings.Count(string(logData), `"msg":"planning continues"`)
		}
		if os.Getenv("IQBULK_SOAK_N") != "" {
			// The long form's plan runs only a few batches ahead of its
			// sends, so it lasts nearly as long as they do: some kill must
			// have landed while the manifest was planned. (The short
			// form's 20 batches fit in the planner's lead at once.)
			assert.Positive(t, fig.PlanResumes, "%s: no kill landed during planning", ph.job)
		}

		// No number applied twice: an applied request activated the numbers
		// it named minus those its status string excluded.
		audit, err := sandbox.ReadAudit(state)
		require.NoError(t, err)
		applied := map[string]int{}
		for _, e := range audit[auditSeen:] {
			if e.Fault != "" {
				fig.Faults[e.Fault]++
			}
			if e.Op != ph.op || !e.Applied {
				continue
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
		auditSeen = len(audit)
		for _, c := range applied {
			if c > 1 {
				fig.Duplicates++
			}
		}
		fig.Applied = len(applied)

		// Every row has exactly one final outcome, in manifest order.
		rows := readCSV(t, filepath.Join(out, "results.csv"))
		require.Len(t, rows, n, ph.job)
		fig.Outcomes = map[string]int{}
		for i, r := range rows {
			fig.Outcomes[r["status"]]++
			assert.Equal(t, tns[i], r["tn"], "%s: results stay in manifest order", ph.job)
			if !slices.Contains(ph.final, r["status"]) {
				fig.NotFinal++
				assert.Fail(t, "row without a final outcome", "%s row %d: %v", ph.job, i, r)
			}
		}
		t.Logf("%s: %d rows, outcomes %v, applied %d numbers, duplicates %d, not final %d, %d runs, %d SIGKILLs (%d resumes continued a plan), retries %d (finished sessions), faults injected %v, %.1fs",
			ph.job, n, fig.Outcomes, fig.Applied, fig.Duplicates, fig.NotFinal, fig.Runs, fig.Kills, fig.PlanResumes, fig.Retries, fig.Faults, fig.Seconds)
		if figuresOut != nil {
			line, err := json.Marshal(fig)
			require.NoError(t, err)
			_, err = figuresOut.Write(append(line, '\n'))
			require.NoError(t, err)
		}
		assert.Zero(t, fig.Duplicates, "%s: numbers applied twice", ph.job)
		assert.Equal(t, n, fig.Outcomes["ok"]+fig.Outcomes["excluded"], ph.job)
		switch ph.job {
		case "tn-order", "tn-disconnect":
			assert.Equal(t, n, fig.Applied, "%s: every number applied exactly once", ph.job)
		case "tn-feature":
			assert.Equal(t, fig.Outcomes["ok"]+fig.Outcomes["excluded"], fig.Applied, "every number's feature order applied once")
		}
	}

	// The sandbox's end state: none of the numbers is still on the account.
	srv.SetFaults(sandbox.Faults{})
	api, err := inteliquent.New(inteliquent.Config{BaseURL: endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	assigned, err := api.TnAssignedList(context.Background(), &inteliquent.TnAssignedListRequest{})
	require.NoError(t, err)
	ours := map[string]bool{}
	for _, tn := range tns {
		ours[tn] = true
	}
	for _, it := range assigned.TnBasicList.TnBasicItem {
		assert.False(t, ours[string(it.TN)] && it.TnStatus == "In Service", "%s is still In Service after its disconnect", it.TN)
	}
}

// runKillable runs iqbulk (the test binary standing in for it) with args;
// when kill is set it SIGKILLs the process after d unless it ended first.
func runKillable(t *testing.T, args []string, kill bool, d time.Duration) (code int, killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	if kill {
		select {
		case err = <-done:
		case <-time.After(d):
			_ = cmd.Process.Kill() // SIGKILL: no cleanup of any kind
			<-done
			return 0, true
		}
	} else {
		err = <-done
	}
	var xe *exec.ExitError
	if errors.As(err, &xe) {
		code = xe.ExitCode()
	} else {
		require.NoError(t, err)
	}
	if code != ExitOK && code != ExitRowsNotOK && code != ExitInterrupted {
		t.Logf("%v: exit %d, stderr:\n%s", args[:2], code, stderr.String())
	}
	return code, false
}

// runSummary is what the soak reads of a summary.json.
type runSummary struct {
	Finished          string
	Requests, Retries int64
}

// readSummary reads a run directory's summary.json.
func readSummary(runDir string) (runSummary, error) {
	var s runSummary
	data, err := os.ReadFile(filepath.Join(runDir, "summary.json"))
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(data, &s)
}
