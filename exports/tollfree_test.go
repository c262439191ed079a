package exports_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/sandbox"
)

func TestTollFreeKindsAgainstSandbox(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	tests := []struct {
		kind    string
		filters map[string]string
		o       exports.Options
		check   func(t *testing.T, header []string, rows [][]string)
	}{
		{"tf-assigned", nil, exports.Options{PageSize: 2}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 4, "the sandbox's toll-free portfolio, over two pages")
			assertSortedUnique(t, rows)
			i := indexRow(rows, "8002012311")
			assert.Equal(t, "NTCHI-1050-8XX-950", rows[i][indexOf(header, "routing_label")])
			assert.Equal(t, "Harry Fuzz", rows[i][indexOf(header, "calling_name")])
			assert.Equal(t, "INSVC", rows[i][indexOf(header, "tn_status_ref")])
		}},
		{"tf-inventory", map[string]string{"tn-mask": "800xxxxxxx", "quantity": "5"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, []string{"8002000000", "LQX01", "0913"}, rows[0])
			assert.Len(t, rows, 5)
		}},
		{"tf-features", map[string]string{"feature": "cnam"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"8002012311", "Harry Fuzz"}}, rows)
		}},
		{"tf-features", map[string]string{"feature": "e911"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Empty(t, rows, "430 is an empty listing")
		}},
		{"trunk-groups", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Contains(t, rows, []string{"CHCGIL24CL1_897"})
		}},
		{"trunk-group-utilization", map[string]string{"trunk-group-name": "TG_CHICAGO_01,TG_DALLAS_01"},
			exports.Options{StartDate: "2024-03-01", EndDate: "2024-03-03"}, func(t *testing.T, _ []string, rows [][]string) {
				require.Len(t, rows, 2*2*144, "two trunk groups, two days, 10-minute intervals")
				assert.Equal(t, []string{"TG_CHICAGO_01", "2024-03-01 00:00"}, rows[0][:2])
				assert.Equal(t, "1300", rows[0][4])
			}},
		{"routing-labels", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Contains(t, rows, []string{"NTCHI-1050-8XX-950", "Chicago primary", "Percentage", "1", "TG_CHICAGO_02", "50"})
		}},
		{"forwarding", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"tf", "8001231234", "3123752629"}}, rows, "tnForwardList's 430 is empty")
		}},
	}
	for i, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			o := tc.o
			o.Kind, o.Filters, o.Out = tc.kind, tc.filters, filepath.Join(dir, tc.kind+string(rune('a'+i))+".csv")
			res := run(t, h, o)
			header, rows := readRows(t, o.Out)
			assert.Equal(t, len(rows), int(res.Rows))
			tc.check(t, header, rows)
		})
	}
}
