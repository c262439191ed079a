package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPortInRequestBodies checks each port-in request body against
// testdata/requests/<op>.json (regenerate with -update); the requests
// mirror the guide's examples.
func TestPortInRequestBodies(t *testing.T) {
	ctx := context.Background()
	order := &PortInOrderRequest{}
	order.PortInOrder.CustomerOrderReference = "TestOrder06"
	order.PortInOrder.DesiredDueDate = "2015-12-15"
	order.PortInOrder.DesiredPortTime = "14:00"
	order.PortInOrder.DesiredPortTimeZone = "US/Central"
	order.PortInOrder.OnDemandActivation = "N"
	order.PortInOrder.TnList.TnItem = []PortInOrderItem{{
		TN: "3059891246", TrunkGroup: "CHCGIL24CL1_897", AccountNum: "12345", Atn: "8009247586",
		AuthName: "Jean Blues", AuthDate: "2015-12-15",
		EndUser:   &EndUser{Name: "Jean Blues", StreetNum: "101", StreetName: "Main", StreetType: "St", City: "Miami", State: "FL", PostalCode: "33124", TypeOfService: "B"},
		TnFeature: &TnFeature{CallerID: &CallerID{CallingName: "J Blues"}, Messaging: &Messaging{MessageClass: "A2PLC", MessageType: "SMSMMS"}},
	}}
	upd := &OrderUpdateRequest{OrderUpdate: OrderUpdate{OrderID: "1026470", CustomerOrderReference: "customerRef12345",
		DesiredDueDate: "2015-12-15", TnList: &OrderUpdateTnList{TnItem: []OrderUpdateItem{
			{TN: "3124579516", CancelTn: "Y"},
			{TN: "3124579518", AccountNum: "12345", EndUser: &EndUser{PostalCode: "60661"}},
		}}}}
	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpPortInAvailability, func(c *Client) error {
			_, err := c.PortInAvailability(ctx, &PortInAvailabilityRequest{ReturnServiceProviderName: true, Wireless: "Y", TnList: TnRefs("3348789203")})
			return err
		}},
		{OpPortInOrder, func(c *Client) error { _, err := c.PortInOrder(ctx, order); return err }},
		{OpPortInOrderAvailableActivation, func(c *Client) error {
			_, err := c.PortInOrderAvailableActivation(ctx, &PortInOrderAvailableActivationRequest{OrderRef{OrderID: "1085360", CustomerOrderReference: "customerRef12345"}})
			return err
		}},
		{OpPortInOrderActivate, func(c *Client) error {
			_, err := c.PortInOrderActivate(ctx, &PortInOrderActivateRequest{OrderRef: OrderRef{OrderID: "1085360", CustomerOrderReference: "customerRef12345"},
				TnGroup: []string{"Group ID 93453 - Ameritech/1", "Group ID 93457 - BellSouth/1"}})
			return err
		}},
		{OpPortInOrderTnList, func(c *Client) error { _, err := c.PortInOrderTnList(ctx, &PortInOrderTnListRequest{}); return err }},
		{OpPortInOrderList, func(c *Client) error {
			_, err := c.PortInOrderList(ctx, &PortInOrderListRequest{OrderID: "1458836", CustomerOrderReference: "9262NewLNP", OrderStatus: "PENDING",
				PageSort: &PageSort{Size: 1, Page: 10}})
			return err
		}},
		{OpTnCsrLookup, func(c *Client) error {
			_, err := c.TnCsrLookup(ctx, &TnCsrLookupRequest{TN: "3123488246", AccountNum: "12345", Atn: "8009247586", AddressLine1: "W Adams St",
				City: "Chicago", State: "IL", ZipCode: "60661", AuthName: "Jean Blues", Pin: "1234", Password: "fed342ed", CustCode: "df453es23rds"})
			return err
		}},
		{OpOrderUpdate, func(c *Client) error { _, err := c.OrderUpdate(ctx, upd); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			require.NoError(t, tt.call(env.c))
			reqs := env.api.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "/Services/1.0.0/"+tt.op, reqs[0].Path)
			body := reqs[0].Body
			assert.True(t, bytes.HasPrefix(body, []byte(`{"privateKey":"`+testKey+`"`)), "%s", body)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, body, "", "  "))
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", "requests", tt.op+".json")
			if *update {
				require.NoError(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create %s", golden)
			assert.Equal(t, string(want), pretty.String())
		})
	}
}

// TestPortInGuideExamples decodes the guide's port-in answers (copied under
// testdata/guide_portin; the malformed ones minimally fixed: stray blocks
// dropped, unclosed objects closed).
func TestPortInGuideExamples(t *testing.T) {
	decode := func(t *testing.T, name string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "guide_portin", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v), name)
	}
	t.Run("portInAvailability", func(t *testing.T) {
		var r PortInAvailabilityResponse
		decode(t, "portInAvailability.json", &r)
		require.Len(t, r.ServiceAvailable, 1)
		sa := r.ServiceAvailable[0]
		assert.Equal(t, TN("3129578428"), sa.TelephoneNumber)
		assert.True(t, bool(sa.IsPortable))
		assert.Equal(t, "Level 3- SVR:8824/1", sa.ServiceProviderName)
		assert.Equal(t, TN("2246556199"), sa.LocalRoutingNumber)
		assert.Equal(t, "0", sa.RateCenterTier.String())
	})
	t.Run("portInOrder", func(t *testing.T) {
		var r OrderResponse
		decode(t, "portInOrder.json", &r)
		assert.Equal(t, OrderID("102644"), r.OrderID)
	})
	t.Run("portInOrderAvailableActivation", func(t *testing.T) {
		var r PortInOrderAvailableActivationResponse
		decode(t, "portInOrderAvailableActivation.json", &r)
		require.Len(t, r.AvailableActivationList, 4)
		g := r.AvailableActivationList[3]
		assert.Equal(t, "Group ID 93457 - BellSouth/1", g.TnGroup)
		assert.Equal(t, []TnItemRef{{"2516530680"}, {"2516530681"}}, g.TnList.TnItem)
	})
	t.Run("portInOrderActivate", func(t *testing.T) {
		var r PortInOrderActivateResponse
		decode(t, "portInOrderActivate.json", &r)
		a := r.Activation()
		require.True(t, a.Parsed)
		require.Len(t, a.Groups, 2)
		assert.False(t, a.Groups[0].OK)
		assert.Equal(t, "TN group not available for portGroup ID 93453 - Ameritech/1", a.Groups[0].Reason())
		g, ok := a.Group("Group ID 93457 - BellSouth/1")
		require.True(t, ok)
		assert.True(t, g.OK)
	})
	t.Run("portInOrderTnList", func(t *testing.T) {
		var r PortInOrderTnListResponse
		decode(t, "portInOrderTnList.json", &r)
		require.Len(t, r.OrderList.OrderType, 2)
		assert.Equal(t, "Received FOC", r.OrderList.OrderType[1].TnStatus)
		assert.Equal(t, OrderID("1437326"), r.OrderList.OrderType[1].OrderID)
	})
	t.Run("portInOrderList", func(t *testing.T) {
		var r PortInOrderListResponse
		decode(t, "portInOrderList.json", &r)
		require.Len(t, r.OrderList.OrderType, 1)
		o := r.OrderList.OrderType[0]
		assert.Equal(t, 1, o.RejectedTnQuantity.Int())
		assert.Equal(t, "Invalid zip code", o.RejectReasonList.RejectReasonItem[0].RejectReason)
		assert.Len(t, o.FocList.FocItem, 2)
		assert.Equal(t, int64(29), r.TotalItems.N)
	})
	for _, tt := range []struct {
		file string
		ok   bool
		msg  string
	}{
		{"tnCsrLookup_swapped.json", true, "Success"},
		{"tnCsrLookup.json", true, "Success"},
		{"tnCsrLookup_failure.json", false, "Failure: Carrier did not respond with valid CSR"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var r TnCsrLookupResponse
			decode(t, tt.file, &r)
			assert.Equal(t, tt.ok, r.TnCsrLookupResponse.OK())
			assert.Equal(t, tt.msg, r.TnCsrLookupResponse.Message())
		})
	}
	t.Run("orderUpdate", func(t *testing.T) {
		var r StatusResponse
		decode(t, "orderUpdate.json", &r)
		assert.Equal(t, "200", r.StatusCode.String(), "statusCode is the number 200 here")
		assert.True(t, r.TNStatus().OK)
	})
	t.Run("orderDetail jeopardy", func(t *testing.T) {
		var r OrderDetailResponse
		decode(t, "orderDetail_jeopardy.json", &r)
		require.Len(t, r.OrderDetailResponse.TnList.TnItem, 1)
		it := r.OrderDetailResponse.TnList.TnItem[0]
		assert.Equal(t, "All data mismatch", it.TnStatus)
		assert.Equal(t, "Group ID 88577 - Verizon Wireless:6006 - SVR/2", it.TnGroup)
	})
}

func TestParseActivationStatus(t *testing.T) {
	tests := []struct {
		in     string
		parsed bool
		groups []GroupActivation
	}{
		{"Success", true, nil},
		{"tnGroup:Group ID 93453 - Ameritech/1 Status:{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}|tnGroup: Group ID 93457 - BellSouth/1 Status:Success|}", true,
			[]GroupActivation{
				{TnGroup: "Group ID 93453 - Ameritech/1", Status: "{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}",
					Detail: TNStatus{Raw: "{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}", Parsed: true,
						Entries: []TNStatusEntry{{Key: "1", Reason: "TN group not available for portGroup ID 93453 - Ameritech/1"}}}},
				{TnGroup: "Group ID 93457 - BellSouth/1", Status: "Success", OK: true},
			}},
		{"tnGroup:Group ID 93452A - ALEC, INC:2588 - NSR/1 Status:Success", true,
			[]GroupActivation{{TnGroup: "Group ID 93452A - ALEC, INC:2588 - NSR/1", Status: "Success", OK: true}}},
		{"tnGroup:G1 Status:{1=[reason with | pipe]}|", true,
			[]GroupActivation{{TnGroup: "G1", Status: "{1=[reason with | pipe]}", Detail: TNStatus{Raw: "{1=[reason with | pipe]}", Parsed: true,
				Entries: []TNStatusEntry{{Key: "1", Reason: "reason with | pipe"}}}}}},
		{"tnGroup:G1 Status:something odd|}", true,
			[]GroupActivation{{TnGroup: "G1", Status: "something odd", Detail: TNStatus{Raw: "something odd"}}}},
		{"", false, nil},
		{"Failure", false, nil},
		{"tnGroup:no status here", false, nil},
		{"tnGroup: Status:Success", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a := ParseActivationStatus(tt.in)
			assert.Equal(t, tt.in, a.Raw)
			assert.Equal(t, tt.parsed, a.Parsed)
			assert.Equal(t, tt.groups, a.Groups)
		})
	}
	assert.Equal(t, "something odd", ParseActivationStatus("tnGroup:G1 Status:something odd").Groups[0].Reason())
}

func FuzzParseActivationStatus(f *testing.F) {
	for _, s := range []string{"Success", "tnGroup:Group ID 93453 - Ameritech/1 Status:{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}|tnGroup: Group ID 93457 - BellSouth/1 Status:Success|}",
		"tnGroup:|", "tnGroup:a Status:|tnGroup:", "|}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := ParseActivationStatus(s)
		if a.Raw != s {
			t.Fatalf("Raw changed")
		}
		if !a.Parsed && (len(a.Groups) > 0 || a.OK) {
			t.Fatalf("unparsed status with groups: %+v", a)
		}
		for _, g := range a.Groups {
			if g.TnGroup == "" {
				t.Fatalf("group without a name: %+v", a)
			}
			if g.OK != (g.Reason() == "") && g.Status != "" {
				t.Fatalf("OK %v but reason %q", g.OK, g.Reason())
			}
			if _, ok := a.Group(g.TnGroup); !ok {
				t.Fatalf("group %q not found by name", g.TnGroup)
			}
		}
	})
}

func BenchmarkParseActivationStatus(b *testing.B) {
	var s bytes.Buffer
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&s, "tnGroup:Group ID %d - BellSouth/1 Status:{1=[TN group not available for portGroup ID %d - BellSouth/1]}|", i, i)
	}
	s.WriteString("}")
	in := s.String()
	b.ReportAllocs()
	for b.Loop() {
		if a := ParseActivationStatus(in); len(a.Groups) != 50 {
			b.Fatal(len(a.Groups))
		}
	}
}
