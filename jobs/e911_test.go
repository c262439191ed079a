package jobs

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

func rowOf(cells map[string]string) Row {
	return Row{Line: 2, Get: func(c string) string { return cells[c] }}
}

func columnsOf(errs []error) []string {
	var out []string
	for _, e := range errs {
		var fe *readers.FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Column)
		}
	}
	return out
}

func TestE911Parse(t *testing.T) {
	good := map[string]string{"tn": "(312) 348-9651", "name": "James Holden", "street_num": "550", "street_info": "W Adams St",
		"city": "Chicago", "state": "il", "postal_code": "60661"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name  string
		cells map[string]string
		bad   []string
	}{
		{"valid", good, nil},
		{"name over 32", with("name", strings.Repeat("x", 33)), []string{"name"}},
		{"name not ASCII", with("name", "José"), []string{"name"}},
		{"street info over 48", with("street_info", strings.Repeat("x", 49)), []string{"street_info"}},
		{"location over 60", with("location", strings.Repeat("x", 61)), []string{"location"}},
		{"state not two letters", with("state", "Illinois"), []string{"state"}},
		{"plus four not 4 digits", with("postal_code_plus_four", "12"), []string{"postal_code_plus_four"}},
		{"missing city", with("city", ""), []string{"city"}},
		{"bad tn", with("tn", "12345"), []string{"tn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, j := range []Job{e911{}, e911Validate{}} {
				p, errs := j.Parse(rowOf(tt.cells))
				assert.Equal(t, tt.bad, columnsOf(errs))
				if tt.bad == nil {
					assert.Equal(t, "3123489651", p.Key)
					assert.Equal(t, "IL", p.Fields["state"])
				}
			}
		})
	}
}

func TestE911Options(t *testing.T) {
	j, err := Configure(e911{}, map[string]string{OptValidateFirst: "true", OptAcceptCorrections: "true"})
	require.NoError(t, err)
	assert.Equal(t, e911{validateFirst: true, acceptCorrections: true}, j)
	_, err = Configure(e911{}, map[string]string{OptAcceptCorrections: "true"})
	assert.Error(t, err, "accept-corrections alone makes no sense")
	_, err = Configure(e911{}, map[string]string{"no-such": "1"})
	assert.ErrorContains(t, err, "does not take the option --no-such")
	_, err = Configure(tnNote{}, map[string]string{OptValidateFirst: "true"})
	assert.Error(t, err)
	j, err = Configure(tnNote{}, nil)
	require.NoError(t, err)
	assert.Equal(t, tnNote{}, j)
}

func TestNotifyAndCampaignParse(t *testing.T) {
	tests := []struct {
		job   Job
		cells map[string]string
		bad   []string
	}{
		{e911Notify{}, map[string]string{"tn": "3123489651", "emails": "a@x.example; b@x.example,c@x.example"}, nil},
		{e911Notify{}, map[string]string{"tn": "3123489651", "emails": "a@x"}, []string{"emails"}},
		{e911Notify{}, map[string]string{"tn": "3123489651", "emails": strings.Repeat("a@x.example;", 1) + "b@x.example;c@x.example;d@x.example;e@x.example;f@x.example;g@x.example;h@x.example;i@x.example;j@x.example;k@x.example"}, []string{"emails"}},
		{e911Notify{}, map[string]string{"tn": "3123489651"}, []string{"emails"}},
		{customerE911Notify{}, map[string]string{"email": "noc@x.example", "remove": "maybe"}, []string{"remove"}},
		{messaging{}, map[string]string{"tn": "3123489651", "message_class": "a2plc", "message_type": "sms"}, nil},
		{messaging{}, map[string]string{"tn": "3123489651", "message_class": "P2P", "message_type": "FAX", "net_number_id": "12345678901"}, []string{"message_type", "net_number_id"}},
		{messaging{remove: true}, map[string]string{"tn": "3123489651"}, nil},
		{campaign{}, map[string]string{"tn": "3123489651", "campaign_id": "cxfxn8b"}, nil},
		{campaign{}, map[string]string{"tn": "3123489651"}, []string{"campaign_id"}},
		{campaign{}, map[string]string{"tn": "3123489651", "campaign_id": "C-1"}, []string{"campaign_id"}},
		{campaign{remove: true}, map[string]string{"tn": "3123489651"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.job.Spec().Name, func(t *testing.T) {
			p, errs := tt.job.Parse(rowOf(tt.cells))
			assert.Equal(t, tt.bad, columnsOf(errs), "%v", tt.cells)
			if c, ok := tt.job.(campaign); ok && tt.bad == nil && !c.remove {
				assert.Equal(t, "CXFXN8B", p.Group, "one campaign per request")
			}
		})
	}
}

func TestCampaignReadMapsCodes(t *testing.T) {
	b := &Batch{ID: 1, CustomerOrderReference: "run-b1", Rows: []record.Row{{Seq: 1, Key: "2087361939"}, {Seq: 2, Key: "3123489651"}}}
	ae := func(code, status string) error {
		return &inteliquent.APIError{Op: "tnMessagingCampaign", HTTPStatus: 200, Code: code, Status: status}
	}
	res := campaign{}.Read(b, &campaignAnswer{refused: ae("409", "Invalid TN submitted:[2087361939]")})
	require.Len(t, res.Rows, 2)
	assert.Equal(t, record.StatusExcluded, res.Rows[0].Status)
	assert.Equal(t, record.StatusFailed, res.Rows[1].Status, "not applied: run again")
	res = campaign{}.Read(b, &campaignAnswer{refused: ae("432", "TN Excluded")})
	assert.Equal(t, record.StatusExcluded, res.Rows[1].Status)
	assert.Equal(t, "TN Excluded", res.Rows[1].Message)
	res = campaign{}.Read(b, &campaignAnswer{resp: &inteliquent.OrderResponse{OrderID: "77"}, partial: true, excluded: map[string]string{"2087361939": "TN is not assigned to this customer"}})
	assert.Equal(t, record.StatusExcluded, res.Rows[0].Status)
	assert.Equal(t, record.StatusPending, res.Rows[1].Status)
	require.Len(t, res.Orders, 1)
	assert.Equal(t, "77", res.Orders[0].OrderID)
	assert.Len(t, res.Excluded, 1)
}

// FuzzSplitEmails: any cell splits into trimmed, non-empty, distinct
// addresses without panicking.
func FuzzSplitEmails(f *testing.F) {
	f.Add("a@x.example; b@x.example,,A@X.EXAMPLE")
	f.Add(" \t\n")
	f.Fuzz(func(t *testing.T, s string) {
		seen := map[string]bool{}
		for _, e := range splitEmails(s) {
			require.NotEmpty(t, e)
			require.NotContains(t, e, ";")
			require.False(t, seen[strings.ToLower(e)])
			seen[strings.ToLower(e)] = true
			_ = validEmail(e)
		}
		_ = invalidTNsIn(s)
	})
}
