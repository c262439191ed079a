package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
)

// TestReportFromTheResultsWriter: the report at the end of a run counts
// what the results writer wrote (no scan of the checkpoint) and says
// exactly what a report read from the checkpoint says: rows per outcome,
// reasons in order with their examples; with more reasons than the writer
// keeps, the checkpoint answers.
func TestReportFromTheResultsWriter(t *testing.T) {
	for _, groups := range []int{20_000, 3} {
		t.Run(fmt.Sprint("maxReasonGroups=", groups), func(t *testing.T) {
			defer func(n int) { maxReasonGroups = n }(maxReasonGroups)
			maxReasonGroups = groups
			w := newWorld(t, 600, nil)
			dir := t.TempDir()
			var m strings.Builder
			m.WriteString("tn,note\n")
			for i, tn := range w.tns {
				note := fmt.Sprint("note ", i)
				switch {
				case i%97 == 5:
					note = strings.Repeat("x", 300) // too long: invalid
				case i%89 == 7:
					m.WriteString("12,bad number\n")
				case i%83 == 9:
					fmt.Fprintf(&m, "%s,duplicate\n", w.tns[i-1]) // a duplicate, reason per row
				}
				fmt.Fprintf(&m, "%s,%s\n", tn, note)
			}
			for i := range 7 { // not on the account
				fmt.Fprintf(&m, "%d,stranger %d\n", 2015550100+i, i)
			}
			manifest := filepath.Join(dir, "m.csv")
			require.NoError(t, os.WriteFile(manifest, []byte(m.String()), 0o600))
			out := filepath.Join(dir, "run")
			rep, err := Start(t.Context(), Config{Job: lookup(t, "tn-note"), API: w.client(t, 0), Manifest: manifest, Dir: out,
				RunID: "r", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 3, NoSnapshot: true}})
			require.NoError(t, err)
			st, err := checkpoints.Open(t.Context(), filepath.Join(out, stateFile))
			require.NoError(t, err)
			defer st.Close()
			want, err := report(t.Context(), st, Config{Dir: out}, rep.Files, rep.Started)
			require.NoError(t, err)
			assert.Equal(t, want.Rows, rep.Rows)
			assert.Equal(t, want.Outcomes, rep.Outcomes)
			assert.Equal(t, want.Batches, rep.Batches)
			assert.Equal(t, want.Reasons, rep.Reasons)
			assert.Greater(t, len(rep.Reasons), 4, "invalid, duplicate and excluded reasons: %v", rep.Reasons)
			assert.Positive(t, rep.Outcomes["ok"])
		})
	}
}
