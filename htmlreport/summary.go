package htmlreport

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/writers"
)

// WriteSummaryReport writes the report of a run that has only a summary
// (an export: FILE.summary.json beside FILE) to reportPath.
func WriteSummaryReport(summaryPath, reportPath string) error {
	data, err := os.ReadFile(summaryPath)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var s writers.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("report: %s: %w", summaryPath, err)
	}
	d := Data{
		Kind: "export", Title: s.Job, Generated: time.Now(), Job: s.Job, RunID: s.RunID, State: "done",
		Endpoint: s.Endpoint, DryRun: s.DryRun, Started: s.Started, Finished: s.Finished, Rows: s.Rows,
		Settings: []Setting{{"duration", s.Duration}, {"requests", fmt.Sprint(s.Requests)}, {"retries", fmt.Sprint(s.Retries)}, {"throttled", fmt.Sprint(s.Throttled)}},
	}
	if s.State != "" {
		d.State = s.State
	}
	for _, k := range slices.Sorted(maps.Keys(s.Extra)) {
		v, _ := json.Marshal(s.Extra[k])
		d.Settings = append(d.Settings, Setting{k, strings.Trim(string(v), `"`)})
	}
	for _, k := range slices.Sorted(maps.Keys(s.Outcomes)) {
		d.Outcomes = append(d.Outcomes, Count{Name: k, N: s.Outcomes[k]})
	}
	dir := filepath.Dir(reportPath)
	for _, role := range slices.Sorted(maps.Keys(s.Files)) {
		rel, err := filepath.Rel(dir, s.Files[role])
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = filepath.Base(s.Files[role])
		}
		d.Files = append(d.Files, File{Name: filepath.ToSlash(rel), Role: role})
	}
	d.Files = append(d.Files, File{Name: filepath.Base(summaryPath), Role: "summary (JSON)"})
	return WriteFile(reportPath, d)
}
