package exports_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/sandbox"
)

func TestReferenceKindsAgainstSandbox(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	col := func(header, row []string, name string) string { return row[indexOf(header, name)] }
	tests := []struct {
		kind    string
		filters map[string]string
		o       exports.Options
		check   func(t *testing.T, header []string, rows [][]string)
	}{
		{"rate-centers", nil, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			assert.Contains(t, rows, []string{"464", "OWENSBORO", "Owensboro KY", "KY", "N", "N"})
			i := indexRow(rows, "358")
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, "Y", col(header, rows[i], "did_approved"))
		}},
		{"coverage", map[string]string{"count-by": "block", "rate-center": "COLFAX"}, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 10, "the world of 1,000 numbers is one COLFAX block: ten thousands-blocks")
			for _, r := range rows {
				assert.Equal(t, "COLFAX", col(header, r, "rc_abbre"))
				assert.Len(t, col(header, r, "block"), 1)
			}
		}},
		{"coverage", map[string]string{"count-by": "state"}, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			assert.NotEmpty(t, rows)
			assert.Empty(t, col(header, rows[0], "npa"))
			assert.NotEmpty(t, col(header, rows[0], "loc_state"))
		}},
		{"latas", map[string]string{"tn-list": "3344123467, 7042282008,3123489651"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"3344123467", "422"}, {"7042282008", "478"}, {"3123489651", "358"}}, rows)
		}},
		{"cics", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.NotEmpty(t, rows)
		}},
		{"cnam-dips", nil, exports.Options{PageSize: 5}, func(t *testing.T, _ []string, rows [][]string) {
			require.Greater(t, len(rows), 5, "more than one page")
			assertSortedUnique(t, rows)
			assert.Contains(t, rows, []string{"3123489651", "N"})
		}},
		{"e911-notifications", map[string]string{"tn-list": "3123488244"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			for _, r := range rows {
				assert.Contains(t, []string{"customer", "tn"}, r[0])
			}
		}},
		{"tickets", map[string]string{"trouble-ticket-status": "Closed", "trouble-ticket-status-exclude": "Y"}, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 4)
			i := indexRow(rows, "65843")
			assert.Equal(t, "Calls drop after 30 seconds", col(header, rows[i], "description"))
			assert.Contains(t, col(header, rows[i], "notes"), "A note to follow so")
		}},
		{"tickets", map[string]string{"min-enter-date": "2016-01-01"}, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 1)
			assert.Equal(t, "Fast Busy", col(header, rows[0], "trouble_ticket_problem_code"))
			assert.Equal(t, "4108677001", col(header, rows[0], "orig_tn"))
		}},
		{"account-defaults", nil, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 1)
			assert.Equal(t, "US/Pacific", col(header, rows[0], "desired_port_time_zone"))
			assert.Equal(t, "Test Email <test@email.com>", col(header, rows[0], "port_out_contacts"))
			assert.NotContains(t, col(header, rows[0], "webhook_header"), "ABC123def456", "the webhook's Authorization value is masked")
		}},
		{"switch-locations", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Contains(t, rows, []string{"Chicago IL"})
		}},
		{"dtmf-relays", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"2833"}, {"None = INBAND"}}, rows)
		}},
		{"customer-locations", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Contains(t, rows, []string{"ATLNGAQS08T"})
		}},
		{"voice-scripts", nil, exports.Options{}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, 1)
			assert.Equal(t, "3123752699", rows[0][0])
			assert.Equal(t, "inbound", col(header, rows[0], "direction"))
		}},
		{"voice-scripts", map[string]string{"tn-list": "3123752699", "script-direction": "outbound"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Empty(t, rows, "430 is an empty listing")
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

func TestReferenceKindsUsage(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	tests := []struct {
		kind    string
		filters map[string]string
	}{
		{"latas", nil},
		{"latas", map[string]string{"tn-list": "12"}},
		{"order-notes", nil},
		{"tickets", map[string]string{"trouble-ticket-status": "Lost"}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			_, err := exports.Run(t.Context(), h.api, exports.Default(), exports.Options{Kind: tc.kind, Filters: tc.filters,
				Out: filepath.Join(dir, tc.kind+".csv")})
			assert.ErrorIs(t, err, exports.ErrUsage)
		})
	}
}

func TestIntlLookupKindsAgainstSandbox(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	tests := []struct {
		kind    string
		filters map[string]string
		check   func(t *testing.T, rows [][]string)
	}{
		{"intl-countries", nil, func(t *testing.T, rows [][]string) {
			assert.Contains(t, rows, []string{"France", "FRA", "33"})
		}},
		{"intl-area-codes", map[string]string{"country-ref": "fra"}, func(t *testing.T, rows [][]string) {
			assert.Contains(t, rows, []string{"FRA", "495", "Corsica", "33495"})
			for _, r := range rows {
				assert.Equal(t, "FRA", r[0])
			}
		}},
		{"intl-number-types", nil, func(t *testing.T, rows [][]string) {
			assert.Contains(t, rows, []string{"GBR", "National", "NATIONAL"})
			assert.Contains(t, rows, []string{"DEU", "Inbound DID", "INBDID"}, "every country when none is given")
		}},
		{"intl-routing-options", map[string]string{"country-ref": "FRA,ESP"}, func(t *testing.T, rows [][]string) {
			assert.Equal(t, [][]string{{"FRA", "Cleveland"}, {"FRA", "Voice Platform"}, {"ESP", "Voice Platform"}}, rows)
		}},
	}
	for i, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			o := exports.Options{Kind: tc.kind, Filters: tc.filters, Out: filepath.Join(dir, tc.kind+string(rune('a'+i))+".csv")}
			res := run(t, h, o)
			_, rows := readRows(t, o.Out)
			assert.Equal(t, len(rows), int(res.Rows))
			tc.check(t, rows)
		})
	}
}
