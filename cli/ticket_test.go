package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTicketCreateLostAnswers: tickets opened under lost answers, resumed
// until done: one ticket per row, found again by extlCompanyTicket, never
// opened twice; the tickets export lists them.
func TestTicketCreateLostAnswers(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}

	var m strings.Builder
	m.WriteString("contact_name,contact_phone,contact_email,description,occur_date,problem_code,orig_tn,term_tn,extl_company_ticket\n")
	for i := range 12 {
		ref := ""
		if i%2 == 0 {
			ref = fmt.Sprintf("OURS-%02d", i)
		}
		fmt.Fprintf(&m, "NOC Desk,3125550199,noc@example.com,Fast busy %d,2026-11-30,FASTBUSY,3123489651,21455501%02d,%s\n", i, i, ref)
	}
	manifest := writeFile(t, filepath.Join(dir, "tickets.csv"), m.String())
	srv.SetFaults(sandbox.Faults{Lost: 0.4, Seed: 2})
	out := filepath.Join(dir, "run")
	args := []string{"run", "ticket-create", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	}
	srv.SetFaults(sandbox.Faults{})
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 12)
	ids := map[string]bool{}
	for _, r := range rows {
		assert.Equal(t, "ok", r["status"], "%v", r)
		assert.NotEmpty(t, r["trouble_ticket_id"])
		ids[r["trouble_ticket_id"]] = true
	}
	assert.Len(t, ids, 12, "a ticket per row")
	lost, applied := 0, 0
	for _, a := range srv.Audit() {
		if a.Op != "ticketCreate" {
			continue
		}
		if a.Applied {
			applied++
		}
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	assert.Equal(t, 12, applied, "no ticket opened twice")

	exp := filepath.Join(dir, "tickets-out.csv")
	res := runCLI(t, envs, "export", "tickets", "-o", exp, "--endpoint", endpoint, "--min-enter-date", "2026-01-01", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	listed := readCSV(t, exp)
	assert.Len(t, listed, 12)
	assert.Equal(t, "Fast Busy", listed[0]["trouble_ticket_problem_code"])
}

// TestTicketNoteLostAnswers: ticket notes under lost answers, resumed
// until done: each note on its ticket exactly once.
func TestTicketNoteLostAnswers(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	var m strings.Builder
	m.WriteString("trouble_ticket_id,note\n")
	for i := range 10 {
		fmt.Fprintf(&m, "65869,update %d\n", i)
	}
	manifest := writeFile(t, filepath.Join(dir, "notes.csv"), m.String())
	srv.SetFaults(sandbox.Faults{Lost: 0.4, Seed: 6})
	out := filepath.Join(dir, "run")
	args := []string{"run", "ticket-note", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	}
	srv.SetFaults(sandbox.Faults{})
	lost := 0
	for _, a := range srv.Audit() {
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	exp := filepath.Join(dir, "tickets.csv")
	res := runCLI(t, envs, "export", "tickets", "-o", exp, "--endpoint", endpoint, "--trouble-ticket-id", "65869", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSV(t, exp)
	require.Len(t, rows, 1)
	for i := range 10 {
		assert.Equal(t, 1, strings.Count(rows[0]["notes"], fmt.Sprintf("update %d", i)), "note %d once", i)
	}
}

// TestTicketDocumentLostAnswers: files attached to tickets under lost
// answers, resumed until done: each attached once (found again by name and
// content), files that are missing, too large or of another type invalid
// and never sent; the ticket-documents export downloads them byte for byte.
func TestTicketDocumentLostAnswers(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}

	docs := filepath.Join(dir, "manifest")
	require.NoError(t, os.MkdirAll(filepath.Join(docs, "docs"), 0o755))
	var m strings.Builder
	m.WriteString("trouble_ticket_id,file,description,public\n")
	want := map[string]string{}
	for i := range 8 {
		name := fmt.Sprintf("trace-%d.txt", i)
		body := fmt.Sprintf("INVITE sip:%d@example SIP/2.0\r\n%s", i, strings.Repeat("x", i*100))
		writeFile(t, filepath.Join(docs, "docs", name), body)
		want[name] = body
		fmt.Fprintf(&m, "%d,docs/%s,trace %d,N\n", []int{65842, 65843}[i%2], name, i)
	}
	writeFile(t, filepath.Join(docs, "docs", "big.pdf"), strings.Repeat("b", 10<<20+1))
	writeFile(t, filepath.Join(docs, "docs", "run.exe"), "MZ")
	m.WriteString("65842,docs/missing.txt,,\n65842,docs/big.pdf,,\n65842,docs/run.exe,,\n")
	manifest := writeFile(t, filepath.Join(docs, "attach.csv"), m.String())

	srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 9})
	out := filepath.Join(dir, "run")
	args := []string{"run", "ticket-document", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitRowsNotOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	}
	srv.SetFaults(sandbox.Faults{})
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 11)
	for _, r := range rows[:8] {
		assert.Equal(t, "ok", r["status"], "%v", r)
		assert.NotEmpty(t, r["document_id"])
	}
	for i, why := range []string{"cannot be read", "the limit is", "not a document type"} {
		assert.Equal(t, "invalid", rows[8+i]["status"])
		assert.Contains(t, rows[8+i]["message"], why)
	}
	lost, applied := 0, 0
	for _, a := range srv.Audit() {
		if a.Op != "ticketAddDocument" {
			continue
		}
		if a.Applied {
			applied++
		}
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	assert.Equal(t, 8, applied, "no document attached twice")

	exp := filepath.Join(dir, "docs.csv")
	dl := filepath.Join(dir, "downloaded")
	res := runCLI(t, envs, "export", "ticket-documents", "-o", exp, "--endpoint", endpoint, "--trouble-ticket-id", "65842,65843", "--download-dir", dl, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	listed := readCSV(t, exp)
	require.Len(t, listed, 8)
	for _, r := range listed {
		b, err := os.ReadFile(r["file"])
		require.NoError(t, err)
		assert.Equal(t, want[r["document_name"]], string(b), r["document_name"])
		assert.Equal(t, fmt.Sprint(len(b)), r["size_bytes"])
	}
}
