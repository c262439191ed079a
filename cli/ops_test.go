package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
)

// TestOpsUsedOrReasoned: every operation of the guide is used by a kind or
// carries a reason, never both (a reason left behind after a kind starts
// using the operation is stale).
func TestOpsUsedOrReasoned(t *testing.T) {
	uses := opUses(jobs.Default(), exports.Default())
	require.Len(t, uses, 139)
	for _, u := range uses {
		used := len(u.JobKinds)+len(u.ExportKinds) > 0
		reason := inteliquent.LeftOutReason(u.Operation)
		if used {
			assert.Empty(t, reason, "%s is used by %v %v but still has a reason", u.Operation, u.JobKinds, u.ExportKinds)
		} else {
			assert.NotEmpty(t, reason, "%s is used by no kind and has no reason", u.Operation)
		}
	}
}

// TestOpsKindsDeclareGuideOps: every operation a kind declares is one of
// the guide's, so `iqbulk ops` counts it.
func TestOpsKindsDeclareGuideOps(t *testing.T) {
	names := map[string]bool{}
	for _, g := range inteliquent.GuideOps() {
		names[g.Name] = true
	}
	for _, j := range jobs.Default().All() {
		for _, op := range j.Spec().Operations {
			assert.True(t, names[op], "job %s declares %s", j.Spec().Name, op)
		}
	}
	for _, k := range exports.Default().Kinds() {
		for _, op := range k.Ops {
			assert.True(t, names[op], "export %s declares %s", k.Name, op)
		}
	}
}

func TestOpsCommand(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, out string)
	}{
		{"csv", []string{"ops", "--format", "csv"}, func(t *testing.T, out string) {
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 140)
			assert.Equal(t, []string{"operation", "area", "job_kinds", "export_kinds", "reason"}, recs[0])
			byOp := map[string][]string{}
			for _, r := range recs[1:] {
				byOp[r[0]] = r
			}
			assert.Contains(t, strings.Fields(byOp["tnOrder"][2]), "tn-order")
			assert.Equal(t, "numbers", byOp["tnOrder"][1])
			assert.Contains(t, byOp["trunkGroupOrder"][4], "Beta")
		}},
		{"json", []string{"ops", "--json"}, func(t *testing.T, out string) {
			var uses []opUse
			require.NoError(t, json.Unmarshal([]byte(out), &uses))
			require.Len(t, uses, 139)
			assert.Equal(t, "registerClient", uses[0].Operation)
		}},
		{"text", []string{"ops"}, func(t *testing.T, out string) {
			assert.Contains(t, out, "operations used by a job or export kind")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, nil, tc.args...)
			require.Equal(t, ExitOK, r.code, r.stderr)
			tc.check(t, r.stdout)
		})
	}
	r := runCLI(t, nil, "ops", "--format", "yaml")
	assert.Equal(t, ExitUsage, r.code)
}
