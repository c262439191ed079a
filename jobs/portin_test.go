package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

func portRowOf(vals map[string]string) Row {
	return Row{Line: 2, Get: func(c string) string { return vals[c] }}
}

func validPortRow() map[string]string {
	return map[string]string{"tn": "2012150011", "account_num": "12345", "atn": "(201) 215-0011", "auth_name": "Jean Blues",
		"auth_date": "2025-11-20", "end_user_name": "Jean Blues", "street_num": "101", "street_name": "Main", "city": "Bayonne",
		"state": "NJ", "postal_code": "07002", "type_of_service": "Business", "desired_due_date": time.Now().AddDate(0, 0, 7).Format(time.DateOnly)}
}

func TestPortInParse(t *testing.T) {
	future := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	tests := []struct {
		name    string
		change  map[string]string
		badCols []string
	}{
		{"valid", nil, nil},
		{"missing required", map[string]string{"account_num": "", "auth_name": "", "postal_code": ""}, []string{"account_num", "auth_name", "postal_code"}},
		{"auth date in the future", map[string]string{"auth_date": future}, []string{"auth_date"}},
		{"auth date not a date", map[string]string{"auth_date": "15/12/2015"}, []string{"auth_date"}},
		{"due date in the past", map[string]string{"desired_due_date": "2015-12-15"}, []string{"desired_due_date"}},
		{"limits", map[string]string{"account_pin": "1234567890123456", "end_user_name": "A name that is far longer than thirty-two", "state": "NJX"},
			[]string{"account_pin", "end_user_name", "state"}},
		{"type of service", map[string]string{"type_of_service": "X"}, []string{"type_of_service"}},
		{"zone without time", map[string]string{"desired_port_time_zone": "US/Central"}, []string{"desired_port_time"}},
		{"time without zone", map[string]string{"desired_port_time": "14:00"}, []string{"desired_port_time_zone"}},
		{"bad time and zone", map[string]string{"desired_port_time": "25:00", "desired_port_time_zone": "Mars"}, []string{"desired_port_time", "desired_port_time_zone"}},
		{"on demand", map[string]string{"on_demand_activation": "maybe"}, []string{"on_demand_activation"}},
		{"atn", map[string]string{"atn": "12345"}, []string{"atn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := validPortRow()
			for k, v := range tt.change {
				vals[k] = v
			}
			p, errs := portIn{}.Parse(portRowOf(vals))
			var cols []string
			for _, e := range errs {
				var fe *readers.FieldError
				require.ErrorAs(t, e, &fe)
				cols = append(cols, fe.Column)
			}
			assert.ElementsMatch(t, tt.badCols, cols, "%v", errs)
			if len(tt.badCols) == 0 {
				assert.Equal(t, "2012150011", p.Key)
				assert.Equal(t, "2012150011", p.Fields["atn"])
				assert.Equal(t, "B", p.Fields["type_of_service"], "sent as the one-character code")
			}
		})
	}
}

// TestPortInGroupKey: rows share an order only when due date, port time and
// zone, on-demand activation and account (accountNum + atn) all match.
func TestPortInGroupKey(t *testing.T) {
	base := validPortRow()
	key := func(change map[string]string) string {
		vals := map[string]string{}
		for k, v := range base {
			vals[k] = v
		}
		for k, v := range change {
			vals[k] = v
		}
		p, errs := portIn{}.Parse(portRowOf(vals))
		require.Empty(t, errs)
		return p.Group
	}
	same := key(nil)
	assert.Equal(t, same, key(map[string]string{"tn": "2012150012", "end_user_name": "Other", "on_demand_activation": "N"}),
		"other numbers and end users of one account share the order; N is the default")
	for name, change := range map[string]map[string]string{
		"due date":    {"desired_due_date": time.Now().AddDate(0, 0, 8).Format(time.DateOnly)},
		"port time":   {"desired_port_time": "14:00", "desired_port_time_zone": "US/Central"},
		"zone":        {"desired_port_time": "14:00", "desired_port_time_zone": "US/Pacific"},
		"on demand":   {"on_demand_activation": "Y"},
		"account num": {"account_num": "999"},
		"atn":         {"atn": "2012159999"},
	} {
		assert.NotEqual(t, same, key(change), name)
	}
	assert.NotEqual(t, key(map[string]string{"desired_port_time": "14:00", "desired_port_time_zone": "US/Central"}),
		key(map[string]string{"desired_port_time": "14:00", "desired_port_time_zone": "US/Pacific"}))
}

// TestPortOutcome maps every per-number status of the guide's Port-In
// Status section.
func TestPortOutcome(t *testing.T) {
	o := record.Order{OrderID: "1084675", Status: OrderPending}
	tests := []struct {
		tnStatus, portDt, orderStatus string
		status, code, message         string
	}{
		{"Pending", "", OrderPending, record.StatusPending, "Pending", "pending FOC from the losing carrier"},
		{"Received FOC", "2017-08-21T00:00:00.000+0000", OrderPending, record.StatusPending, "Received FOC", "FOC secured (Received FOC); port date 2017-08-21 09:00 US/Central"},
		{"All data mismatch", "", OrderPending, record.StatusFailed, "jeopardy", "All data mismatch"},
		{"PIN required/invalid", "", OrderPending, record.StatusFailed, "jeopardy", "PIN required/invalid"},
		{"Activated", "2017-08-21T00:00:00.000+0000", OrderPending, record.StatusOK, "Activated", "ported in (Activated) on 2017-08-21"},
		{"Complete", "2017-08-21T00:00:00.000+0000", OrderClosed, record.StatusOK, "Complete", "ported in (Complete) on 2017-08-21"},
		{"Canceled", "", OrderPending, record.StatusFailed, "Canceled", "number canceled on port-in order 1084675"},
		{"Received FOC", "2017-08-21T00:00:00.000+0000", OrderCanceled, record.StatusFailed, OrderCanceled, "port-in order 1084675 was canceled (Received FOC)"},
	}
	for _, tt := range tests {
		t.Run(tt.tnStatus+"/"+tt.orderStatus, func(t *testing.T) {
			o.Status = tt.orderStatus
			out := portOutcome(o, inteliquent.OrderTnItem{TN: "3344124471", TnStatus: tt.tnStatus, PortDt: tt.portDt, PortTime: "09:00 US/Central", TnGroup: "Group ID 88577 - Verizon Wireless:6006 - SVR/2"})
			assert.Equal(t, tt.status, out.Status)
			assert.Equal(t, tt.code, out.Code)
			assert.Equal(t, tt.message, out.Message)
			assert.Equal(t, "1084675", out.OrderID)
			assert.Equal(t, tt.tnStatus, out.Extra[outTnStatus])
			assert.Equal(t, "Group ID 88577 - Verizon Wireless:6006 - SVR/2", out.Extra[outTnGroup])
			assert.Equal(t, "09:00 US/Central", out.Extra[outPortTime], "portTime reaches its column")
			if tt.code == "jeopardy" {
				assert.Equal(t, tt.tnStatus, out.Extra[outRejectReason], "a rejected number's reason reaches reject_reason")
			} else {
				assert.Empty(t, out.Extra[outRejectReason])
			}
		})
	}
}

func TestPortJobsOptionsAndSpecs(t *testing.T) {
	j, err := Configure(portCheck{}, map[string]string{OptWireless: "true", OptOnNetOnly: "y"})
	require.NoError(t, err)
	req, err := j.Build(&Batch{Rows: []record.Row{{Key: "2012150001"}}})
	require.NoError(t, err)
	r := req.(*inteliquent.PortInAvailabilityRequest)
	assert.Equal(t, "Y", r.Wireless)
	assert.Equal(t, "Y", r.SearchOnNetOnly)
	assert.True(t, r.ReturnServiceProviderName)

	j, err = Configure(portIn{}, map[string]string{OptCheckFirst: "true"})
	require.NoError(t, err)
	assert.True(t, j.(portInChecked).checkFirst, "check-first runs as steps")
	_, err = Configure(portIn{}, map[string]string{OptWireless: "true"})
	assert.Error(t, err, "port-in does not take --wireless")

	reg := Default()
	for _, kind := range []string{"port-check", "csr", "port-in", "port-in-fix", "port-in-activate", "order-cancel"} {
		job, err := reg.Lookup(kind)
		require.NoError(t, err)
		s := job.Spec()
		assert.Equal(t, kind == "order-cancel", s.Destructive, kind)
		if kind == "port-in" || kind == "order-cancel" {
			assert.False(t, s.Idempotent(), kind)
			assert.Implements(t, (*Reconciler)(nil), job)
		}
		if kind == "port-in" || kind == "port-in-fix" {
			assert.Implements(t, (*Follower)(nil), job)
		}
	}
}
