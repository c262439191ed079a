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

// AuditEntry is one state-changing request, applied or not.
type AuditEntry struct {
	Time                   time.Time `json:"time"`
	Op                     string    `json:"op"`
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	Numbers                []string  `json:"numbers,omitempty"`
	OrderID                string    `json:"orderId,omitempty"`
	Applied                bool      `json:"applied"`
	Fault                  string    `json:"fault"` // "", "error", "lost"
	StatusCode             string    `json:"statusCode"`
	Status                 string    `json:"status,omitempty"`
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
