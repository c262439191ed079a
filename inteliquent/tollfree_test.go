package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The toll-free and network requests, checked against
// testdata/requests/<op>.json (regenerate with -update). They mirror the
// guide's examples.
func TestTollFreeRequestBodies(t *testing.T) {
	ctx := context.Background()
	tfOrder := &TfOrderRequest{ProductAbbr: ProductTF8XX}
	tfOrder.TfOrder.CustomerOrderReference = "TestOrder08"
	tfOrder.TfOrder.TnList.TnItem = []TfOrderItem{{
		TN: "8881235544", ResporgID: "ABC45", RoutingLabel: "NTNYC-690-8XX-123",
		CicList: &CicList{Cic: []string{"0913", "0222", "0432"}}, TnNote: "Sample Note",
		TnFeature: &TfFeature{
			CallerID:  &CallerID{CallingName: "J Blues", CnamDip: "Y"},
			Messaging: &Messaging{MessageClass: "A2PLC", MessageType: "SMSMMS"},
			E911: &E911{Name: "James Holden", OrigStreetNum: "550", OrigStreetInfo: "W Adams St", OrigLocation: "9th floor",
				OrigCity: "Chicago", OrigState: "IL", OrigPostalCode: "60661"},
		},
	}}
	portIn := &TfOrderRequest{ProductAbbr: ProductTF8XXPortIn}
	portIn.TfOrder.CustomerOrderReference = "run-7"
	portIn.TfOrder.Loa = "Y"
	portIn.TfOrder.TnList.TnItem = []TfOrderItem{{TN: "8887001234", RoutingLabel: "NTNYC-690-8XX-123"}}
	detail := &TfDetailRequest{PageSort: &PageSort{Page: 1, Size: 1}}
	detail.TfSearchList.TfSearchItem = []TfSearchItem{{TypeTfStatusReference: "INSVC", TnMask: "xxxxxxxxxx"}}
	tfUpd := &TfUpdateRequest{CustomerOrderReference: "TestOrderUpdate"}
	tfUpd.TnList.TnItem = []TfUpdateItem{{TN: "8553489654", RoutingLabel: "NTNYC-690-8XX-124"}, {TN: "8663489655", RoutingLabel: "NTNYC-690-8XX-124"}}
	feat := &TfFeatureOrderRequest{}
	feat.TfFeatureOrder.CustomerOrderReference = "TestOrder04"
	feat.TfFeatureOrder.TnList.TnItem = []TfFeatureOrderItem{
		{TN: "8553489654", TnFeature: TfFeature{CallerID: &CallerID{RemoveTnFeature: "Y"}, Messaging: &Messaging{MessageClass: "P2P", MessageType: "SMS"}}},
		{TN: "8663489655", TnFeature: TfFeature{CallerID: &CallerID{CallingName: "caller name"},
			E911: &E911{Name: "James Holden", OrigStreetNum: "550", OrigStreetInfo: "W Adams St", OrigLocation: "9th floor", OrigCity: "Chicago", OrigState: "IL", OrigPostalCode: "60661"}}},
	}
	tnFwd := &TnForwardRequest{}
	tnFwd.TnForward.CustomerOrderReference = "687a67dd-7b54-428b-9734-4eec7adc9466"
	tnFwd.TnForward.TnList.TnItem = []ForwardItem{{TN: "2012040514", ForwardTo: "3123752629"}}
	tfFwd := &TfForwardRequest{}
	tfFwd.TfForward.CustomerOrderReference = "687a67dd-7b54-428b-9734-4eec7adc9466"
	tfFwd.TfForward.TnList.TnItem = []ForwardItem{{TN: "8001231234", ForwardTo: "3123752629"}, {TN: "8001231235", RemoveForwardTo: "Y"}}

	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpTfInventory, func(c *Client) error {
			_, err := c.TfInventory(ctx, &TfInventoryRequest{TnMask: "800xxxxxxx", Quantity: 5})
			return err
		}},
		{OpTfOrder, func(c *Client) error { _, err := c.TfOrder(ctx, tfOrder); return err }},
		{OpTfOrder + "_8XXPORTIN", func(c *Client) error { _, err := c.TfOrder(ctx, portIn); return err }},
		{OpTfDetail, func(c *Client) error { _, err := c.TfDetail(ctx, detail); return err }},
		{OpTfUpdate, func(c *Client) error { _, err := c.TfUpdate(ctx, tfUpd); return err }},
		{OpTfDisconnect, func(c *Client) error {
			_, err := c.TfDisconnect(ctx, &TfDisconnectRequest{CustomerOrderReference: "TestOrder09", TnList: TnRefs("8553489654", "8663489655")})
			return err
		}},
		{OpTfFeatureOrder, func(c *Client) error { _, err := c.TfFeatureOrder(ctx, feat); return err }},
		{OpTfFeatureCNamList, func(c *Client) error { _, err := c.TfFeatureCNamList(ctx, nil); return err }},
		{OpTfFeatureMessageList, func(c *Client) error { _, err := c.TfFeatureMessageList(ctx, &TfFeatureListRequest{}); return err }},
		{OpTfFeatureE911List, func(c *Client) error {
			_, err := c.TfFeatureE911List(ctx, &TfFeatureListRequest{TnMask: "844xxxxxxx"})
			return err
		}},
		{OpTnForward, func(c *Client) error { _, err := c.TnForward(ctx, tnFwd); return err }},
		{OpTfForward, func(c *Client) error { _, err := c.TfForward(ctx, tfFwd); return err }},
		{OpTnForwardList, func(c *Client) error { _, err := c.TnForwardList(ctx, nil); return err }},
		{OpTfForwardList, func(c *Client) error { _, err := c.TfForwardList(ctx, &ForwardListRequest{}); return err }},
		{OpCicList, func(c *Client) error { _, err := c.CicList(ctx, nil); return err }},
		{OpOrderAddDocument, func(c *Client) error {
			_, err := c.OrderAddDocument(ctx, &OrderAddDocumentRequest{OrderRef: OrderRef{OrderID: "1026470", CustomerOrderReference: "customerRef12345"},
				DocumentName: "TestDoc", FileContent: "U29tZSB1bmNvZGVkIHR1eHQ="})
			return err
		}},
		{OpOrderDocument, func(c *Client) error {
			_, err := c.OrderDocument(ctx, &OrderDocumentRequest{OrderRef{OrderID: "1026470"}})
			return err
		}},
		{OpTrunkGroupSearchAssigned, func(c *Client) error { _, err := c.TrunkGroupSearchAssigned(ctx, nil); return err }},
		{OpTrunkGroupUtilization, func(c *Client) error {
			_, err := c.TrunkGroupUtilization(ctx, &TrunkGroupUtilizationRequest{StartDate: "2017-12-01", EndDate: "2017-12-01", TrunkGroupName: []string{"NYCMNYBXABC_1234"}})
			return err
		}},
		{OpRoutingLabelSearchAssigned, func(c *Client) error { _, err := c.RoutingLabelSearchAssigned(ctx, nil); return err }},
		{OpRoutingLabelDetail, func(c *Client) error {
			_, err := c.RoutingLabelDetail(ctx, &RoutingLabelDetailRequest{RoutingLabel: "NTNYC-690-8XX-123"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			require.NoError(t, tt.call(env.c))
			reqs := env.api.requests()
			require.Len(t, reqs, 1)
			op := tt.op
			if i := bytes.IndexByte([]byte(op), '_'); i > 0 {
				op = op[:i]
			}
			assert.Equal(t, "/Services/1.0.0/"+op, reqs[0].Path)
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

func TestTollFreeOpTable(t *testing.T) {
	for _, op := range []string{OpTfOrder, OpTfUpdate, OpTfDisconnect, OpTfFeatureOrder, OpOrderAddDocument} {
		assert.True(t, IsStateChanging(op), op)
		assert.False(t, IsIdempotent(op), op)
	}
	// Forwarding sets a value: sent again, it sets the same value.
	for _, op := range []string{OpTnForward, OpTfForward} {
		assert.True(t, IsStateChanging(op), op)
		assert.True(t, IsIdempotent(op), op)
	}
	for _, op := range []string{OpTfInventory, OpTfDetail, OpTfFeatureCNamList, OpTfFeatureMessageList, OpTfFeatureE911List,
		OpTnForwardList, OpTfForwardList, OpCicList, OpOrderDocument, OpTrunkGroupSearchAssigned, OpTrunkGroupUtilization,
		OpRoutingLabelSearchAssigned, OpRoutingLabelDetail} {
		assert.False(t, IsStateChanging(op), op)
		assert.True(t, IsIdempotent(op), op)
		assert.True(t, ops[op].empty430, op)
	}
}

// TestTollFreeGuideExamples decodes the guide's example answers of the
// toll-free and network sections (malformed ones minimally fixed: see
// docs/api-quirks.md, "Toll free and network").
func TestTollFreeGuideExamples(t *testing.T) {
	decode := func(t *testing.T, name string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "guide", "tollfree", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v), name)
	}
	tests := []struct {
		file  string
		check func(t *testing.T, f string)
	}{
		{"tfInventory.json", func(t *testing.T, f string) {
			var r TfInventoryResponse
			decode(t, f, &r)
			require.Len(t, r.TfList.TfItem, 2)
			assert.Equal(t, TN("8006231984"), r.TfList.TfItem[0].TN)
			assert.Equal(t, []string{"0913", "0555", "5102", "2121"}, r.TfList.TfItem[0].Cics())
		}},
		{"tfOrder_8XX.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("1081234"), r.OrderID)
		}},
		{"tfOrder_8XXAVAIL.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.True(t, r.OrderID.IsZero())
			st := r.TNStatus()
			require.True(t, st.Parsed)
			require.Len(t, st.Entries, 1)
			assert.Equal(t, TN("8774514545"), st.Entries[0].TN)
			assert.Equal(t, "TN is marked Not Available in our inventory", st.Entries[0].Reason)
		}},
		{"tfDetail.json", func(t *testing.T, f string) {
			var r TfDetailResponse
			decode(t, f, &r)
			require.Len(t, r.TfList.TfItem, 1)
			it := r.TfList.TfItem[0]
			assert.Equal(t, TN("8002012311"), it.TN)
			assert.Equal(t, "NTCHI-1050-8XX-950", it.RoutingLabel)
			assert.Equal(t, "INSVC", it.TnStatusRef)
			assert.Equal(t, []string{"0913", "5102"}, it.Cics())
			assert.Equal(t, "Harry Fuzz", it.TnFeature.CallerID.CallingName)
			require.NotNil(t, it.E911Record())
			assert.Equal(t, "James Holden", it.E911Record().Name)
			assert.Equal(t, "In Service", it.E911Record().E911TnStatus)
			assert.Equal(t, int64(7676), r.TotalItems.N)
			assert.NotEmpty(t, r.SearchID)
		}},
		{"tfFeatureCNamList.json", func(t *testing.T, f string) {
			var r TfFeatureCNamListResponse
			decode(t, f, &r)
			assert.Equal(t, []TfFeatureCNamItem{{TN: "9726947096", CallingName: "Name"}}, r.TfFeatureList.TfFeatureItem)
		}},
		{"tfFeatureMessageList.json", func(t *testing.T, f string) {
			var r TfFeatureMessageListResponse
			decode(t, f, &r)
			require.Len(t, r.TfFeatureList.TfFeatureItem, 2)
			assert.Equal(t, FlexString("1234"), r.TfFeatureList.TfFeatureItem[0].AltSpid)
		}},
		{"tfFeatureE911List.json", func(t *testing.T, f string) {
			var r TfFeatureE911ListResponse
			decode(t, f, &r)
			require.Len(t, r.TfFeatureList.TfFeatureItem, 2)
			assert.Equal(t, "chicago", r.TfFeatureList.TfFeatureItem[0].OrigCity)
		}},
		{"tnForward.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("1519788"), r.OrderID, "orderId as a JSON number")
		}},
		{"tfForwardList.json", func(t *testing.T, f string) {
			var r TfForwardListResponse
			decode(t, f, &r)
			assert.Equal(t, []ForwardEntry{{TN: "8001231234", ForwardTo: "3123752629"}}, r.TfForwardList)
		}},
		{"tnForwardList.json", func(t *testing.T, f string) {
			var r TnForwardListResponse
			decode(t, f, &r)
			assert.Equal(t, []ForwardEntry{{TN: "2087361939", ForwardTo: "3123752629"}}, r.TnForwardList)
		}},
		{"cicList.json", func(t *testing.T, f string) {
			var r CicListResponse
			decode(t, f, &r)
			assert.Equal(t, []CicItem{{RespOrgPrefix: "GDG01", Cic: "0913", CompanyName: "Inteliquent"}}, r.CicItemList)
		}},
		{"orderAddDocument.json", func(t *testing.T, f string) {
			var r OrderAddDocumentResponse
			decode(t, f, &r)
			assert.Equal(t, "200", r.StatusCode.String(), "statusCode as a JSON number")
			assert.Equal(t, FlexString("207032"), r.DocumentID)
		}},
		{"trunkGroupSearchAssigned.json", func(t *testing.T, f string) {
			var r TrunkGroupSearchAssignedResponse
			decode(t, f, &r)
			assert.Equal(t, []string{"CHCGIL24CL1_897", "CHCGIL24CL1_898"}, r.Names())
		}},
		{"routingLabelSearchAssigned.json", func(t *testing.T, f string) {
			var r RoutingLabelSearchAssignedResponse
			decode(t, f, &r)
			assert.Equal(t, []RoutingLabelItem{{RoutingLabel: "NTMIL01-8XX-0222-1-124", RoutePrioritizationType: "Sequence"}}, r.RoutingLabelList.RoutingLabelItem)
		}},
		{"routingLabelDetail.json", func(t *testing.T, f string) {
			var r RoutingLabelDetailResponse
			decode(t, f, &r)
			require.Len(t, r.RoutingLabelList.RoutingLabelItem, 2)
			assert.Equal(t, "MILWWI4561T_702", r.RoutingLabelList.RoutingLabelItem[1].TrunkGroupName)
			assert.Equal(t, FlexString("1"), r.RoutingLabelList.RoutingLabelItem[1].RouteSequence)
		}},
		{"trunkGroupUtilization.json", func(t *testing.T, f string) {
			var r TrunkGroupUtilizationResponse
			decode(t, f, &r)
			require.Len(t, r.TrunkGroupUtilList.TrunkGroupUtilItem, 4)
			it := r.TrunkGroupUtilList.TrunkGroupUtilItem[1]
			assert.Equal(t, "2017-12-01 00:10", it.TrunkGroupDate)
			assert.Equal(t, 643, it.OutCalls.Int())
			assert.Equal(t, 1300, it.Capacity.Int())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { tt.check(t, tt.file) })
	}
}

// A 409 on tfForward is an *APIError carrying the offending number.
func TestTfForward409IsFinalAPIError(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
	body, err := os.ReadFile(filepath.Join("testdata", "guide", "tollfree", "tfForward_409.json"))
	require.NoError(t, err)
	env.api.handle = func(w http.ResponseWriter, _ *http.Request, _ int, _ recorded) { reply(w, 200, string(body)) }
	req := &TfForwardRequest{}
	req.TfForward.TnList.TnItem = []ForwardItem{{TN: "80012312344", ForwardTo: "3123752629"}}
	_, err = env.c.TfForward(context.Background(), req)
	var ae *APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, "409", ae.Code)
	assert.Equal(t, "Invalid TN submitted:[80012312344]", ae.Status)
	assert.False(t, IsRetryable(err))
	assert.Len(t, env.api.requests(), 1, "not retried")
}

// TfDetailScrollPages follows searchId at size 10000 until totalPages.
func TestTfDetailScroll(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
	env.api.handle = func(w http.ResponseWriter, _ *http.Request, n int, rec recorded) {
		m := decodeBody(t, rec.Body)
		ps := m["pageSort"].(map[string]any)
		assert.EqualValues(t, ScrollSize, ps["size"])
		if n > 1 {
			assert.Equal(t, fmt.Sprintf("sid-%d", n-1), ps["searchId"])
		}
		reply(w, 200, fmt.Sprintf(`{"statusCode":"200","status":"Success","tfList":{"tfItem":[{"tn":800200000%d}]},"page":"%d","totalPages":"3","totalItems":"3","searchId":"sid-%d"}`, n, n, n))
	}
	req := &TfDetailRequest{}
	req.TfSearchList.TfSearchItem = []TfSearchItem{{TnMask: "xxxxxxxxxx"}}
	var got []TN
	for p, err := range env.c.TfDetailScrollPages(context.Background(), req) {
		require.NoError(t, err)
		for _, it := range p.TfList.TfItem {
			got = append(got, it.TN)
		}
	}
	assert.Equal(t, []TN{"8002000001", "8002000002", "8002000003"}, got)
}
