package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// chromium finds the browser for the rendering test. In CI (CI=true) a
// missing browser fails the test: .ci/run installs it. Elsewhere the test
// skips and says how to run it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run must install it (apt-get install -y chromium)")
	}
	t.Skip("SKIPPED: the report rendering test needs chromium (Debian: apt-get install -y chromium); set CI=true to make its absence fail")
	return ""
}

// dumpDOM renders a file in headless Chromium and returns the DOM it built.
func dumpDOM(t *testing.T, browser, path string) string {
	t.Helper()
	// The deadline only keeps a hung browser from hanging the suite; the
	// render time goal is measured by bench/report.sh, not here.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+filepath.ToSlash(abs))
	out, err := cmd.Output()
	require.NoError(t, err)
	return string(out)
}

var tagRE = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]+>`)

// visibleText strips tags from a dumped DOM and folds white space.
func visibleText(dom string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(dom, " ")), " ")
}

// Every run directory gets report.html; a browser renders it with the run's
// settings, outcomes, reasons, traffic, orders and files, and the report
// names nothing outside itself.
func TestReportRendersInChromium(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	// The sample (five numbers, one with features: an order to follow), one
	// number the sandbox does not have (excluded), one invalid.
	sample, err := os.ReadFile("../samples/tn-order.csv")
	require.NoError(t, err)
	commas := strings.Repeat(",", strings.Count(strings.SplitN(string(sample), "\n", 2)[0], ","))
	m := writeFile(t, filepath.Join(dir, "m.csv"), strings.TrimRight(string(sample), "\n")+"\n2012000000"+commas+"\n201335010"+commas+"\n")
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "tn-order", m, "--out", out, "--rate", "0", "--follow", "--poll-interval", "50ms")
	require.Equal(t, ExitRowsNotOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	path := filepath.Join(out, "report.html")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotRegexp(t, `(?i)https?://|<script|<link|<img|src=|@import|url\(`, string(raw), "self-contained, nothing from outside")

	text := visibleText(dumpDOM(t, browser, path))
	for _, want := range []string{
		"tn-order run report", "Settings", "Endpoint sandbox", "Outcomes",
		"ok 5", "excluded 1", "invalid 1",
		"Top reasons", "TN is marked Not Available in our inventory", "line 7 (2012000000)", "line 8",
		"Throughput and latency", "Latency over all requests", "No throttling and no retries",
		"Orders", "1 orders. By state: Closed 1", "yes",
		"Files", "results.csv", "failed.csv", "summary.json", "run.log",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `\d+ requests and 6 rows over`, text, "the chart's text alternative: 6 rows sent")

	// iqbulk report rewrites it, e.g. after a kill; it only reads.
	require.NoError(t, os.Remove(path))
	res = runCLI(t, envs, "report", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, path+"\n", res.stdout)
	assert.FileExists(t, path)
}

func TestExportGetsAReport(t *testing.T) {
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 2_000})
	dir := t.TempDir()
	out := filepath.Join(dir, "inv.csv")
	res := runCLI(t, envs, "export", "inventory", "--endpoint", endpoint, "--rate", "0", "--quiet", "-o", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	raw, err := os.ReadFile(out + ".report.html")
	require.NoError(t, err)
	assert.Contains(t, string(raw), "export inventory export report")
	assert.Contains(t, string(raw), `href="inv.csv"`)
	assert.NotRegexp(t, `(?i)href="https?:|src=|<script|<link|@import|url\(`, string(raw), "links only to the files beside it")

	require.NoError(t, os.Remove(out+".report.html"))
	res = runCLI(t, envs, "report", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.FileExists(t, out+".report.html")
	res = runCLI(t, envs, "report", filepath.Join(dir, "nothing"))
	assert.Equal(t, ExitUsage, res.code)
}
