package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Request bodies of exports.go's operations, checked against
// testdata/requests/<op>.json (regenerate with -update). They mirror the
// guide's example requests.
func TestExportRequestBodies(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpMessageDetailSearch, func(c *Client) error {
			_, err := c.MessageDetailSearch(ctx, &MessageDetailSearchRequest{StartDate: "2017-11-01T00:00:00.000Z",
				EndDate: "2017-12-02T00:00:00.000Z", Direction: "Outbound", MessageClass: "P2P", MessageType: "SMS",
				Operators: []string{"Sprint"}, SourceTn: "15109470585", DestinationTn: "18182240977"})
			return err
		}},
		{OpE911CallSearch, func(c *Client) error {
			_, err := c.E911CallSearch(ctx, &E911CallSearchRequest{StartDate: "2019-01-18 00:00:00", EndDate: "2019-01-21 16:41:26",
				CallType: "911", CallStatus: "Completed", CallDestination: "PSAP", CallProvisioned: "Yes", SourceTn: "xxxxxxxxxx",
				E911Contains: "Test", Name: "Test", StreetNum: "550", StreetInfo: "W Adams St", Location: "9th floor",
				City: "Chicago", State: "IL", PostalCode: "60661", PageSort: &PageSort{Size: 1, Page: 1}})
			return err
		}},
		{OpMessageCampaigns, func(c *Client) error { _, err := c.MessageCampaigns(ctx, nil); return err }},
		{OpTnMessagingCampaignList, func(c *Client) error { _, err := c.TnMessagingCampaignList(ctx, nil); return err }},
		{OpTnFeatureCnamList, func(c *Client) error {
			_, err := c.TnFeatureCnamList(ctx, &TnFeatureListRequest{PageSort: &PageSort{Size: 10, Page: 1}})
			return err
		}},
		{OpTnFeatureDLList, func(c *Client) error { _, err := c.TnFeatureDLList(ctx, &TnFeatureListRequest{}); return err }},
		{OpTnFeatureE911List, func(c *Client) error {
			_, err := c.TnFeatureE911List(ctx, &TnFeatureListRequest{TnMask: "xxxxxxxxxx", PageSort: &PageSort{Property: "tn", Direction: "asc", Size: 100, Page: 1}})
			return err
		}},
		{OpTnFeatureMessageList, func(c *Client) error {
			_, err := c.TnFeatureMessageList(ctx, &TnFeatureListRequest{PageSort: &PageSort{Size: 10, Page: 2}})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			require.NoError(t, tt.call(env.c))
			reqs := env.api.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "/Services/1.0.0/"+tt.op, reqs[0].Path)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, reqs[0].Body, "", "  "))
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

func TestExportGuideAnswers(t *testing.T) {
	read := func(t *testing.T, name string, v any) {
		b, err := os.ReadFile(filepath.Join("testdata", "guide_exports", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v))
	}
	t.Run("messageDetailSearch", func(t *testing.T) {
		var r MessageDetailSearchResponse
		read(t, "messageDetailSearch.json", &r)
		assert.Equal(t, "200", r.StatusCode.String(), "the envelope's code, not a record's")
		require.Len(t, r.MessageDetails, 2)
		assert.Equal(t, MessageDetail{Operator: "Sprint", Country: "United States of America", Region: "North America",
			GateWay: "Atlanta", MessageType: "SMS", Source: "15109470585", Destination: "18182240977", Status: "Blocked",
			StatusCode: "8", Description: "Blocked"}, r.MessageDetails[0])
	})
	t.Run("e911CallSearch", func(t *testing.T) {
		var r E911CallSearchResponse
		read(t, "e911CallSearch.json", &r)
		require.Len(t, r.CallDetailList, 2)
		c := r.CallDetailList[1]
		assert.Equal(t, TN("3123131378"), c.SourceTn)
		assert.Equal(t, "112.64", c.CallDuration.String())
		assert.Equal(t, `"Orchard Lead"<sip:2183131378@137.192.80.11;user=phone;isup-oli=0>;tag=1691782808-1548005418318-`, c.IncomingFrom)
		assert.False(t, r.TotalPages.Valid, "the guide's answer has no page fields")
	})
}

func TestExportListings430IsEmpty(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, `{"statusCode": "430", "status": "No Result Found"}`)
	}
	ctx := context.Background()
	calls, err := env.c.E911CallSearch(ctx, &E911CallSearchRequest{StartDate: "2019-01-18 00:00:00", EndDate: "2019-01-19 00:00:00"})
	require.NoError(t, err)
	assert.Empty(t, calls.CallDetailList)
	mdr, err := env.c.MessageDetailSearch(ctx, &MessageDetailSearchRequest{})
	require.NoError(t, err)
	assert.Empty(t, mdr.MessageDetails)
	n := 0
	for p, err := range env.c.TnFeatureListPages(ctx, OpTnFeatureE911List, nil) {
		require.NoError(t, err)
		n += len(p.TnFeatureList.TnFeatureItem)
	}
	assert.Zero(t, n)
}

func TestE911CallSearchPagesStopsOnShortPageWithoutPageFields(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		if n == 1 {
			reply(w, 200, `{"statusCode": "200", "status": "Success", "callDetailList": [{"sourceTn": "3123131377"}, {"sourceTn": "3123131378"}]}`)
			return
		}
		reply(w, 200, `{"statusCode": "200", "status": "Success", "callDetailList": [{"sourceTn": "3123131379"}]}`)
	}
	var got []TN
	for p, err := range env.c.E911CallSearchPages(context.Background(), &E911CallSearchRequest{PageSort: &PageSort{Size: 2}}) {
		require.NoError(t, err)
		for _, c := range p.CallDetailList {
			got = append(got, c.SourceTn)
		}
	}
	assert.Equal(t, []TN{"3123131377", "3123131378", "3123131379"}, got)
	assert.Len(t, env.api.requests(), 2)
}
