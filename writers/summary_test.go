package writers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iqbulk/iqbulk/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteSummaryGolden(t *testing.T) {
	chicago := time.FixedZone("CST", -6*3600)
	s := Summary{
		Job:      "tn-order",
		RunID:    "tn-order-20261127T110000Z",
		RunDir:   "runs/tn-order-20261127T110000Z",
		Endpoint: "https://user:s3cret@services.inteliquent.com/api?privateKey=abc",
		DryRun:   false,
		Started:  time.Date(2026, 11, 27, 5, 0, 0, 0, chicago),
		Finished: time.Date(2026, 11, 27, 5, 2, 3, 456_789_000, chicago),
		Rows:     250,
		Outcomes: map[string]int{"ok": 240, "excluded": 6, "invalid": 3, "failed": 1},
		Batches:  map[string]int{"done": 3},
		Requests: 5, Retries: 2, Throttled: 1,
		ExitCode: 1,
		Files:    map[string]string{"results": "results.csv", "excluded": "excluded.csv", "log": "run.log"},
		Extra:    map[string]any{"follow": true, "orders": []string{"12346987"}},
	}
	orig := s.Outcomes["ok"]
	path := filepath.Join(t.TempDir(), "summary.json")
	require.NoError(t, WriteSummary(path, s))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	golden(t, "summary.json", got)

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, fileMode, st.Mode().Perm())
	_, err = os.Stat(path + tmpSuffix)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.NotContains(t, string(got), "s3cret")
	assert.NotContains(t, string(got), "abc")
	assert.Len(t, s.Outcomes, 4, "the caller's map is not modified")
	assert.Equal(t, orig, s.Outcomes["ok"])

	var back Summary
	require.NoError(t, json.Unmarshal(got, &back))
	assert.Equal(t, "2m3.457s", back.Duration)
	assert.Equal(t, 0, back.Outcomes["pending"], "every outcome present")
	assert.Len(t, back.Outcomes, len(record.Statuses()))
	assert.True(t, back.Started.Equal(s.Started))
}

func TestWriteSummaryMinimal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.json")
	require.NoError(t, WriteSummary(path, Summary{Job: "notes", Endpoint: "sandbox", DryRun: true, Duration: "kept"}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	golden(t, "summary-minimal.json", got)
}

func TestWriteSummaryReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, WriteSummary(path, Summary{Job: "a"}))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, fileMode, st.Mode().Perm(), "the new file has mode 0600 whatever the old one had")

	err = WriteSummary(filepath.Join(t.TempDir(), "missing", "summary.json"), Summary{})
	require.ErrorIs(t, err, os.ErrNotExist)
	err = WriteSummary(path, Summary{Extra: map[string]any{"bad": func() {}}})
	require.Error(t, err, "an unencodable Extra is reported")
}

func TestRedactEndpoint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"sandbox", "sandbox"},
		{"production", "production"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://u:p@host/x", "https://xxxxx@host/x"},
		{"https://host/x?privateKey=k&a=b", "https://host/x?a=xxxxx&privateKey=xxxxx"},
		{"https://host/x#frag", "https://host/x"},
		{"user:pass@host:443", "(endpoint redacted)"},
		{"http://[::1", "(unparseable endpoint, redacted)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, redactEndpoint(tt.in))
		})
	}
}
