package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// AuditEntry is one state-changing request that passed authentication,
// applied or not.
type AuditEntry struct {
	Time                   time.Time `json:"time"`
	Op                     string    `json:"op"`
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	// Numbers are the numbers the request named, as sent.
	Numbers []string `json:"numbers,omitempty"`
	OrderID string   `json:"orderId,omitempty"`
	// Processed: the request reached the operation (it was not refused
	// by the rate limit, an injected error, malformed JSON or the
	// privateKey check). A request that was not processed was provably
	// not applied, so a client may send it again.
	Processed bool `json:"processed"`
	// Applied: the operation changed state (it is in the journal).
	Applied bool `json:"applied"`
	// AppliedNumbers are the numbers (ten digits) whose state the request
	// changed: those it named minus those it excluded, at once or in
	// background validation. Empty when not applied.
	AppliedNumbers []string `json:"appliedNumbers,omitempty"`
	// Fault is "", FaultError, FaultLost or FaultAppliedError.
	Fault string `json:"fault"`
	// FaultAnswer is what an applied-error fault answered instead of the
	// operation's answer (AnswerHTTP500Empty, ...).
	FaultAnswer string `json:"faultAnswer,omitempty"`
	// HTTPStatus is the HTTP status sent (0 for a lost answer).
	HTTPStatus int `json:"httpStatus"`
	// StatusCode and Status are the operation's own answer (for an
	// applied-error or lost fault: the answer the client never saw).
	StatusCode string `json:"statusCode"`
	Status     string `json:"status,omitempty"`
	// Recovered: written when the sandbox reopened its state, for a change
	// its journal holds but its audit did not — the process that applied
	// it was killed between the two writes, so no answer was sent.
	Recovered bool `json:"recovered,omitempty"`
}

// appliedAudited counts the applied entries of stateDir/audit.jsonl: the
// journal's first changes, in the same order.
func appliedAudited(stateDir string) (int, error) {
	n := 0
	err := readLines(filepath.Join(stateDir, auditFile), func(line []byte) error {
		var e struct {
			Applied bool `json:"applied"`
		}
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		if e.Applied {
			n++
		}
		return nil
	})
	return n, err
}

// AppliedTwice returns the numbers that two or more applied requests of op
// changed, with how many. The sandbox refuses a second order of a number
// already on the account, so for ordering operations it finds only what
// state allowed twice (an order, a disconnect, an order again); use
// ResentAfterApplied to find a client that sent again what was applied.
func AppliedTwice(entries []AuditEntry, op string) map[string]int {
	count := map[string]int{}
	for _, e := range entries {
		if e.Op != op || !e.Applied {
			continue
		}
		for _, tn := range e.AppliedNumbers {
			count[tn]++
		}
	}
	for tn, c := range count {
		if c < 2 {
			delete(count, tn)
		}
	}
	return count
}

// ResentAfterApplied returns the numbers named by a processed request of
// op after an earlier request of op had applied them, with how many such
// requests. It is the duplicate check that can fail against the sandbox:
// the second tnOrder of a number is refused ("TN is already assigned to
// this customer"), so it never shows as applied twice, but it was sent
// again, and against an API that did not refuse it the number would have
// been ordered twice. Requests that were not processed (rate limit,
// injected error: provably not applied) are not counted. Numbers are
// compared in ten-digit form.
func ResentAfterApplied(entries []AuditEntry, op string) map[string]int {
	applied := map[string]bool{}
	out := map[string]int{}
	for _, e := range entries {
		if e.Op != op || !e.Processed {
			continue
		}
		seen := map[string]bool{}
		for _, raw := range e.Numbers {
			tn := canonicalTN(raw)
			if applied[tn] && !seen[tn] {
				out[tn]++
			}
			seen[tn] = true
		}
		for _, tn := range e.AppliedNumbers {
			applied[tn] = true
		}
	}
	return out
}

// canonicalTN is the ten-digit form of a request number, or the text
// itself when it is not a number.
func canonicalTN(s string) string {
	if n, ok := parseTN(s); ok {
		return tnString(n)
	}
	return s
}

const (
	auditFile   = "audit.jsonl"
	journalFile = "journal.jsonl"
	lockFile    = "lock"
)

// ReadAudit reads stateDir/audit.jsonl; a torn last line is ignored.
func ReadAudit(stateDir string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := readLines(filepath.Join(stateDir, auditFile), func(line []byte) error {
		var e AuditEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	return out, nil
}

// readLines calls fn for every complete JSON line; a last line that fails
// to parse (torn by a crash) is ignored, a bad line before it is an error.
func readLines(path string, fn func([]byte) error) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var pending error
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if pending != nil {
			return pending
		}
		if err := fn(line); err != nil {
			pending = fmt.Errorf("%s line %d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("scan %s: %w", path, err)
	}
	return nil
}
