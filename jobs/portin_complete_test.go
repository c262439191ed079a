package jobs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// TestPortInCompleteParse: reseller name (Canadian numbers), location 3,
// on-net-only and messaging columns, each refused at parse naming the
// column when it breaks the guide's rule.
func TestPortInCompleteParse(t *testing.T) {
	tests := []struct {
		name    string
		change  map[string]string
		badCols []string
	}{
		{"location 3", map[string]string{"location_type3": "Ste", "location_value3": "900"}, nil},
		{"on net only Y", map[string]string{"on_net_only": "yes"}, nil},
		{"on net only bad", map[string]string{"on_net_only": "maybe"}, []string{"on_net_only"}},
		{"canadian without reseller", map[string]string{"tn": "4165550123"}, []string{"reseller_name"}},
		{"canadian with reseller", map[string]string{"tn": "4165550123", "reseller_name": "Rogers"}, nil},
		{"us without reseller", map[string]string{"tn": "2015550123"}, nil},
		{"messaging", map[string]string{"messaging_class": "A2PLC", "messaging_type": "SMSMMS", "trunk_group": "CHCGIL24CL1_897"}, nil},
		{"messaging class alone", map[string]string{"messaging_class": "A2PLC", "trunk_group": "TG"}, []string{"messaging_type"}},
		{"messaging type alone", map[string]string{"messaging_type": "SMS", "trunk_group": "TG"}, []string{"messaging_class"}},
		{"messaging bad values", map[string]string{"messaging_class": "SMS", "messaging_type": "P2P", "trunk_group": "TG"}, []string{"messaging_class", "messaging_type"}},
		{"messaging without trunk group", map[string]string{"messaging_class": "P2P", "messaging_type": "SMS"}, []string{"trunk_group"}},
		{"net number id limit", map[string]string{"messaging_class": "P2P", "messaging_type": "SMS", "trunk_group": "TG", "net_number_id": "12345678901"}, []string{"net_number_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := validPortRow()
			for k, v := range tt.change {
				vals[k] = v
			}
			_, errs := portIn{}.Parse(portRowOf(vals))
			var cols []string
			for _, e := range errs {
				var fe *readers.FieldError
				require.ErrorAs(t, e, &fe)
				assert.Equal(t, 2, fe.Line)
				cols = append(cols, fe.Column)
			}
			assert.ElementsMatch(t, tt.badCols, cols, "%v", errs)
		})
	}
}

// TestPortInCompleteBuild: the new columns reach the guide's JSON shape:
// resellerName and onNetOnly on portInOrder, locationType3/Value3 in endUser,
// tnFeature.messaging on the item; reseller and on-net split orders.
func TestPortInCompleteBuild(t *testing.T) {
	vals := validPortRow()
	for k, v := range map[string]string{"reseller_name": "Rogers", "on_net_only": "Y", "location_type3": "Flr",
		"location_value3": "9", "messaging_class": "A2PLC", "messaging_type": "SMSMMS", "trunk_group": "CHCGIL24CL1_897"} {
		vals[k] = v
	}
	p, errs := portIn{}.Parse(portRowOf(vals))
	require.Empty(t, errs)
	plain, errs := portIn{}.Parse(portRowOf(validPortRow()))
	require.Empty(t, errs)
	assert.NotEqual(t, plain.Group, p.Group, "reseller name and on-net-only are per order")

	req, err := portIn{}.Build(&Batch{CustomerOrderReference: "ref-1", Rows: []record.Row{{Key: p.Key, Fields: p.Fields}}})
	require.NoError(t, err)
	b, err := json.Marshal(req)
	require.NoError(t, err)
	var got struct {
		PortInOrder struct {
			ResellerName string `json:"resellerName"`
			OnNetOnly    string `json:"onNetOnly"`
			TnList       struct {
				TnItem []struct {
					EndUser   map[string]any `json:"endUser"`
					TnFeature struct {
						Messaging map[string]any `json:"messaging"`
					} `json:"tnFeature"`
				} `json:"tnItem"`
			} `json:"tnList"`
		} `json:"portInOrder"`
	}
	require.NoError(t, json.Unmarshal(b, &got), "%s", b)
	po := got.PortInOrder
	assert.Equal(t, "Rogers", po.ResellerName)
	assert.Equal(t, "Y", po.OnNetOnly)
	require.Len(t, po.TnList.TnItem, 1)
	it := po.TnList.TnItem[0]
	assert.Equal(t, "Flr", it.EndUser["locationType3"])
	assert.Equal(t, "9", it.EndUser["locationValue3"])
	assert.Equal(t, map[string]any{"messageClass": "A2PLC", "messageType": "SMSMMS"}, it.TnFeature.Messaging)

	// Without messaging no tnFeature is sent at all.
	req, err = portIn{}.Build(&Batch{Rows: []record.Row{{Key: plain.Key, Fields: plain.Fields}}})
	require.NoError(t, err)
	assert.Nil(t, req.(*inteliquent.PortInOrderRequest).PortInOrder.TnList.TnItem[0].TnFeature)
}

// TestPortInFixHasNoPortInOnlyColumns: orderUpdate has no location 3,
// resellerName, onNetOnly: port-in-fix does not offer those columns.
func TestPortInFixHasNoPortInOnlyColumns(t *testing.T) {
	names := map[string]bool{}
	for _, c := range (portInFix{}).Spec().Columns {
		names[c.Name] = true
	}
	for _, c := range []string{"location_type3", "location_value3", "reseller_name", "on_net_only", "messaging_class"} {
		assert.False(t, names[c], c)
	}
	in := map[string]bool{}
	for _, c := range (portIn{}).Spec().Columns {
		in[c.Name] = true
	}
	for _, c := range []string{"location_type3", "location_value3", "reseller_name", "on_net_only", "messaging_class", "messaging_type", "net_number_id"} {
		assert.True(t, in[c], c)
	}
	assert.True(t, strings.Contains(portGroupKey(map[string]string{"on_net_only": "Y"}), "|Y|"))
}

// TestCsrEmitsLocation3: the CSR's locationType3/locationValue3 (the
// guide's tnCsrLookup answer) reach the emitted port-in manifest's
// location_type3/location_value3 columns.
func TestCsrEmitsLocation3(t *testing.T) {
	resp := &inteliquent.TnCsrLookupResponse{TnCsrLookupResponse: inteliquent.CsrLookup{
		TN: "3123488246", AccountNum: "12345", Atn: "8009247586", LocationType2: "Flr", LocationValue2: "9",
		LocationType3: "Rm", LocationValue3: "12", City: "Chicago", CsrLookupResult: "0"}}
	b := &Batch{Rows: []record.Row{{Seq: 1, Key: "3123488246"}}}
	res := csr{}.Read(b, resp)
	require.Len(t, res.Rows, 1)
	require.Equal(t, record.StatusOK, res.Rows[0].Outcome.Status, res.Rows[0].Outcome.Message)
	row := record.Row{Key: "3123488246", Outcome: res.Rows[0].Outcome}
	target := portIn{}.Spec().Columns
	vals, ok := csr{}.Emit(row, target)
	require.True(t, ok)
	got := map[string]string{}
	for i, c := range target {
		got[c.Name] = vals[i]
	}
	assert.Equal(t, "Rm", got["location_type3"])
	assert.Equal(t, "12", got["location_value3"])
	assert.Equal(t, "Flr", got["location_type2"])
	assert.Equal(t, "12345", got["account_num"])
}

// TestPortInHeaderLocation3: a manifest spelling the guide's names
// (locationType3, "Location Value 3", resellerName, onNetOnly,
// messageClass) maps to the port-in columns: no near-miss refusal.
func TestPortInHeaderLocation3(t *testing.T) {
	var cols []readers.Column
	for _, c := range (portIn{}).Spec().Columns {
		cols = append(cols, c.Column)
	}
	header := []string{"TN", "accountNum", "atn", "authName", "authDate", "End User", "streetNum", "streetName", "city", "state",
		"zip", "typeOfService", "desiredDueDate", "locationType3", "Location Value 3", "resellerName", "onNetOnly", "messageClass", "messageType"}
	m, err := readers.MapHeader(header, cols)
	require.NoError(t, err)
	assert.Empty(t, m.NearMisses())
	assert.Empty(t, m.Unknown())
	for _, c := range []string{"location_type3", "location_value3", "reseller_name", "on_net_only", "messaging_class", "messaging_type"} {
		assert.True(t, m.Has(c), c)
	}
}
