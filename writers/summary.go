package writers

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/record"
)

// Summary is summary.json: what a run or export did, for people and for the
// scripts that run iqbulk from cron. Keys are snake_case; maps are written
// with sorted keys, so the file is stable.
type Summary struct {
	Job      string `json:"job"`
	RunID    string `json:"run_id"`
	RunDir   string `json:"run_dir"`
	Endpoint string `json:"endpoint"` // user info and query are redacted
	DryRun   bool   `json:"dry_run"`

	Started  time.Time `json:"started,omitzero"`   // written in UTC
	Finished time.Time `json:"finished,omitzero"`  // written in UTC
	Duration string    `json:"duration,omitempty"` // Finished-Started when empty

	Rows      int            `json:"rows"`
	Outcomes  map[string]int `json:"outcomes"` // every record.Statuses() word, always all of them
	Batches   map[string]int `json:"batches,omitempty"`
	Requests  int64          `json:"requests"`
	Retries   int64          `json:"retries"`
	Throttled int64          `json:"throttled"`
	ExitCode  int            `json:"exit_code"`
	State     string         `json:"state,omitempty"` // the run's state: done, interrupted...

	// Reasons are the top reasons of the rows that are not ok, per status,
	// largest first: "excluded 5 — TN is already assigned to this customer (5)".
	Reasons []Reason `json:"reasons,omitempty"`

	Files map[string]string `json:"files,omitempty"` // role (results, excluded, log...) -> path
	Extra map[string]any    `json:"extra,omitempty"`
}

// Reason is one reason in a summary.
type Reason struct {
	Status       string `json:"status"`
	Code         string `json:"code"`
	Reason       string `json:"reason"`
	Rows         int    `json:"rows"`
	ExampleLines []int  `json:"example_lines"`
}

// WriteSummary writes s to path as indented JSON, mode 0600, atomically
// (through path+".tmp"). It fills in what can be derived: UTC times, the
// duration, a zero count for every outcome not in s.Outcomes. It strips
// credentials from s.Endpoint. It does not modify s.
func WriteSummary(path string, s Summary) error {
	s = normalizeSummary(s)
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("writers: summary %s: %w", path, err)
	}
	return writeFileAtomic(path, append(data, '\n'))
}

func normalizeSummary(s Summary) Summary {
	if !s.Started.IsZero() {
		s.Started = s.Started.UTC()
	}
	if !s.Finished.IsZero() {
		s.Finished = s.Finished.UTC()
	}
	if s.Duration == "" && !s.Started.IsZero() && !s.Finished.IsZero() {
		s.Duration = s.Finished.Sub(s.Started).Round(time.Millisecond).String()
	}
	outcomes := make(map[string]int, len(record.Statuses())+len(s.Outcomes))
	for _, o := range record.Statuses() {
		outcomes[o] = 0
	}
	maps.Copy(outcomes, s.Outcomes)
	s.Outcomes = outcomes
	s.Endpoint = redactEndpoint(s.Endpoint)
	return s
}

// redactEndpoint hides a password in a URL's user info and every query
// value (an API key passed as ?privateKey=...); a name such as "sandbox" or
// "production" is kept as is.
func redactEndpoint(e string) string {
	u, err := url.Parse(e)
	if err != nil {
		return "(unparseable endpoint, redacted)"
	}
	if u.Scheme == "" || u.Host == "" {
		if strings.ContainsAny(e, "@?") {
			return "(endpoint redacted)"
		}
		return e
	}
	if u.User != nil {
		u.User = url.User("xxxxx")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q.Set(k, "xxxxx")
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment = ""
	return u.String()
}

// NormalizeSummary fills in what WriteSummary derives (UTC times, duration,
// every outcome, a redacted endpoint), for printing a summary elsewhere.
func NormalizeSummary(s Summary) Summary { return normalizeSummary(s) }
