package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each operation's request body, checked against testdata/requests/<op>.json
// (regenerate with go test -run TestRequestBodies -update). The requests
// mirror the guide's examples.
func TestRequestBodies(t *testing.T) {
	ctx := context.Background()
	tnOrder := &TnOrderRequest{}
	tnOrder.TnOrder.CustomerOrderReference = "run1-b0001"
	tnOrder.TnOrder.TnList.TnItem = []TnOrderItem{
		{TN: "6123453622", TrunkGroup: "CHCGIL24CL1_897", EndUser: &EndUser{Name: "Hope Trope", TypeOfService: "R"},
			TnFeature: &TnFeature{CallerID: &CallerID{CnamDip: "Y"}, Messaging: &Messaging{MessageClass: "P2P", MessageType: "SMS"}}},
		{TN: "6123453623", TrunkGroup: "CHCGIL24CL1_897", PortOutPin: "Test 3623", TnFeature: &TnFeature{CallerID: &CallerID{CnamDip: "N"}}},
		{TN: "6123453624", TrunkGroup: "CHCGIL24CL1_897", PortOutPin: "Test 3624"},
	}
	tnUpdate := &TnUpdateRequest{CustomerOrderReference: "TestOrder03"}
	tnUpdate.TnList.TnItem = []TnUpdateItem{{TN: "3123489653", TrunkGroup: "CHCGIL24CL1_897"}}
	feat := &TnFeatureOrderRequest{}
	feat.TnFeatureOrder.CustomerOrderReference = "TestOrder04"
	feat.TnFeatureOrder.TnList.TnItem = []TnFeatureOrderItem{
		{TN: "3124795862", EndUser: &EndUser{Name: "Harry Fuzz", StreetNum: "123", StreetName: "Michigan", StreetType: "Ave", City: "Springfield", State: "IL", PostalCode: "62704", TypeOfService: "R"},
			TnFeature: TnFeature{CallerID: &CallerID{CallingName: "Harry Fuzz"}, Messaging: &Messaging{MessageClass: "P2P", MessageType: "SMS"}}},
		{TN: "3124795863", TnFeature: TnFeature{DirectoryListing: &DirectoryListing{RemoveTnFeature: "Y"}}},
	}
	pin := &PortOutPinUpdateRequest{}
	pin.PortOutPin.TnList.TnItem = []PortOutPinItem{{TN: "3123489652", PortOutPin: "New PIN 9652"}, {TN: "3123489651", PortOutPin: "SecretPIN"}}
	note := &TnNoteUpdateRequest{}
	note.TnNote.TnList.TnItem = []TnNoteItem{{TN: "3123489652", TnNote: "Subaccount A"}, {TN: "3123489651", TnNote: "Subaccount B & <C>"}}
	detail := &TnDetailRequest{PageSort: &PageSort{Size: 1, Page: 1}}
	detail.TnSearchList.TnSearchItem = []TnSearchItem{{TnMask: "xxxxxxxxxx", RateCenter: "BAYONNE",
		ActivateStartDateRange: "2017-03-29T14:00:46.000Z", ActivateEndDateRange: "2017-03-29T14:00:46.000Z"}}

	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpTnInventory, func(c *Client) error {
			_, err := c.TnInventory(ctx, &TnInventoryRequest{TnMask: "xxxxxx410x", SearchOnNetOnly: "N", Lata: "486",
				PageSort: &PageSort{Property: "state", Direction: "asc", Page: 1, Size: 2}})
			return err
		}},
		{OpTnReserve, func(c *Client) error {
			_, err := c.TnReserve(ctx, &TnReserveRequest{TnReserve: TnListWrapper{TnList: TnRefs("2015540010", "2015540011")}})
			return err
		}},
		{OpTnRelease, func(c *Client) error {
			_, err := c.TnRelease(ctx, &TnReleaseRequest{TnRelease: TnListWrapper{TnList: TnRefs("1234567890")}})
			return err
		}},
		{OpTnReservedList, func(c *Client) error { _, err := c.TnReservedList(ctx, nil); return err }},
		{OpTnInventoryCoverage, func(c *Client) error {
			_, err := c.TnInventoryCoverage(ctx, &TnInventoryCoverageRequest{RateCenter: "SAN PEDRO", Wireless: "Y"})
			return err
		}},
		{OpTnOrder, func(c *Client) error { _, err := c.TnOrder(ctx, tnOrder); return err }},
		{OpTnAssignedList, func(c *Client) error { _, err := c.TnAssignedList(ctx, &TnAssignedListRequest{}); return err }},
		{OpTnDetail, func(c *Client) error { _, err := c.TnDetail(ctx, detail); return err }},
		{OpTnUpdate, func(c *Client) error { _, err := c.TnUpdate(ctx, tnUpdate); return err }},
		{OpTnFeatureOrder, func(c *Client) error { _, err := c.TnFeatureOrder(ctx, feat); return err }},
		{OpPortOutPinUpdate, func(c *Client) error { _, err := c.PortOutPinUpdate(ctx, pin); return err }},
		{OpTnNoteUpdate, func(c *Client) error { _, err := c.TnNoteUpdate(ctx, note); return err }},
		{OpTnDisconnect, func(c *Client) error {
			_, err := c.TnDisconnect(ctx, &TnDisconnectRequest{CustomerOrderReference: "TestOrder05", TnList: TnRefs("3123489654", "3123489655")})
			return err
		}},
		{OpOrderList, func(c *Client) error {
			_, err := c.OrderList(ctx, &OrderListRequest{CreatedDateStartRange: "2015-12-22", ProductID: 103, TN: "3344123221",
				ServiceOrderReference: "NEW", PageSort: &PageSort{Size: 1, Page: 1}})
			return err
		}},
		{OpOrderDetail, func(c *Client) error {
			_, err := c.OrderDetail(ctx, &OrderDetailRequest{OrderRef{OrderID: "1054832", CustomerOrderReference: "TestOrder"}})
			return err
		}},
		{OpExcludedTnList, func(c *Client) error {
			_, err := c.ExcludedTnList(ctx, &ExcludedTnListRequest{OrderRef: OrderRef{OrderID: "1054832", CustomerOrderReference: "customerRef12345"}, TN: "7278482111"})
			return err
		}},
		{OpExcludedFeatureList, func(c *Client) error {
			_, err := c.ExcludedFeatureList(ctx, &ExcludedFeatureListRequest{OrderRef{OrderID: "1054832"}})
			return err
		}},
		{OpExcludedE911Detail, func(c *Client) error {
			_, err := c.ExcludedE911Detail(ctx, &ExcludedE911DetailRequest{OrderRef{CustomerOrderReference: "customerRef12345"}})
			return err
		}},
		{OpOrderCancel, func(c *Client) error {
			_, err := c.OrderCancel(ctx, &OrderCancelRequest{OrderRef{OrderID: "1026470", CustomerOrderReference: "customerRef12345"}})
			return err
		}},
		{OpOrderAddNote, func(c *Client) error {
			_, err := c.OrderAddNote(ctx, &OrderAddNoteRequest{OrderRef: OrderRef{OrderID: "1026470"}, OrderNote: "Note text to be added to the order"})
			return err
		}},
		{OpOrderNote, func(c *Client) error {
			_, err := c.OrderNote(ctx, &OrderNoteRequest{OrderRef{OrderID: "1026470"}})
			return err
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			require.NoError(t, tt.call(env.c))
			reqs := env.api.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "POST", reqs[0].Method)
			assert.Equal(t, "/Services/1.0.0/"+tt.op, reqs[0].Path)
			body := reqs[0].Body
			// privateKey is injected first, equal to Config.Key.
			assert.True(t, bytes.HasPrefix(body, []byte(`{"privateKey":"`+testKey+`"`)), "%s", body)
			assert.Equal(t, testKey, decodeBody(t, body)["privateKey"])
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, body, "", "  "))
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", "requests", tt.op+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create %s", golden)
			assert.Equal(t, string(want), pretty.String())
			seen[tt.op] = true
		})
	}
	// Every POST operation in the table has a golden request (operations
	// added by other files are checked by their own tests, e.g.
	// e911_test.go; here it is enough that the golden exists).
	for name, spec := range ops {
		if spec.method == "POST" && !seen[name] {
			assert.FileExists(t, filepath.Join("testdata", "requests", name+".json"), "no request golden for %s", name)
		}
	}
}

func TestRequestOmitsUnsetFields(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
	_, err := env.c.TnInventory(context.Background(), &TnInventoryRequest{TnWildcard: "201335YZ*"})
	require.NoError(t, err)
	m := decodeBody(t, env.api.requests()[0].Body)
	assert.Equal(t, map[string]any{"privateKey": testKey, "tnWildcard": "201335YZ*"}, m)
}

func TestHealthCheckIsGETWithoutPrivateKey(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, `{"status": "UP", "statusCode": "200"}`)
	}
	resp, err := env.c.HealthCheck(context.Background(), nil)
	require.NoError(t, err)
	assert.True(t, resp.Up())
	reqs := env.api.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/HealthChecker/1.0.0/healthCheck", reqs[0].Path)
	assert.Empty(t, reqs[0].Body)
	assert.False(t, strings.Contains(string(reqs[0].Body), "privateKey"))
	assert.Equal(t, "Bearer tok-1", reqs[0].Auth)
}
