package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkRequestGolden compares the one request env's fake API received with
// testdata/requests/<name>.json (regenerate with -update).
func checkRequestGolden(t *testing.T, env *testEnv, op, name string) {
	t.Helper()
	reqs := env.api.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/Services/1.0.0/"+op, reqs[0].Path)
	body := reqs[0].Body
	assert.True(t, bytes.HasPrefix(body, []byte(`{"privateKey":"`+testKey+`"`)), "%s", body)
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, body, "", "  "))
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "requests", name+".json")
	if *update {
		require.NoError(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run with -update to create %s", golden)
	assert.Equal(t, string(want), pretty.String())
}

// The reference and report requests mirror the guide's examples.
func TestReferenceRequestBodies(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpRateCenterCoverage, func(c *Client) error {
			_, err := c.RateCenterCoverage(ctx, &RateCenterCoverageRequest{Wireless: "Y"})
			return err
		}},
		{OpLataInventory, func(c *Client) error {
			_, err := c.LataInventory(ctx, &LataInventoryRequest{TnList: TnRefs("3344123467", "7042282008")})
			return err
		}},
		{OpTnFeatureCnamDip, func(c *Client) error {
			_, err := c.TnFeatureCnamDip(ctx, &TnFeatureCnamDipRequest{PageSort: &PageSort{Size: 1, Page: 1}})
			return err
		}},
		{OpTicketList, func(c *Client) error {
			_, err := c.TicketList(ctx, &TicketListRequest{TroubleTicketStatus: "Closed", TroubleTicketStatusExclude: "Y",
				MinEnterDate: "2015-12-13", MaxEnterDate: "2015-12-14"})
			return err
		}},
		{OpTicketDetail, func(c *Client) error {
			_, err := c.TicketDetail(ctx, &TicketDetailRequest{TroubleTicketID: "432789"})
			return err
		}},
		{OpTicketNote, func(c *Client) error {
			_, err := c.TicketNote(ctx, &TicketNoteRequest{TroubleTicketID: "65843"})
			return err
		}},
		{OpAccountDefaultDetail, func(c *Client) error { _, err := c.AccountDefaultDetail(ctx); return err }},
		{OpSwitchLocationList, func(c *Client) error { _, err := c.SwitchLocationList(ctx); return err }},
		{OpDtmfRelayList, func(c *Client) error { _, err := c.DtmfRelayList(ctx); return err }},
		{OpCustomerLocationList, func(c *Client) error { _, err := c.CustomerLocationList(ctx); return err }},
		{OpVoiceScriptDetail, func(c *Client) error {
			_, err := c.VoiceScriptDetail(ctx, &VoiceScriptDetailRequest{VoiceScript: []VoiceScriptQuery{{TN: "3123752699"}}})
			return err
		}},
		{OpAddressValidate, func(c *Client) error {
			_, err := c.AddressValidate(ctx, &AddressValidateRequest{StreetNum: "550", StreetInfo: "W Adams St", City: "Chicago", State: "IL", PostalCode: "60661"})
			return err
		}},
		{OpPortOutApproval, func(c *Client) error {
			_, err := c.PortOutApproval(ctx, &PortOutApprovalRequest{OrderID: "1501843"})
			return err
		}},
		{OpTnPortOutReject, func(c *Client) error {
			_, err := c.TnPortOutReject(ctx, &TnPortOutRejectRequest{TnPortOutReject{TN: "8082017948", OrderID: "1501843", RejectReason: "INVZIPCD"}})
			return err
		}},
		{OpTnPortOutHistory, func(c *Client) error { _, err := c.TnPortOutHistory(ctx); return err }},
		{OpIntlCountryList, func(c *Client) error { _, err := c.IntlCountryList(ctx); return err }},
		{OpIntlAreaCodeInfo, func(c *Client) error {
			_, err := c.IntlAreaCodeInfo(ctx, &IntlCountryRequest{CountryRef: "FRA"})
			return err
		}},
		{OpIntlNumberTypes, func(c *Client) error {
			_, err := c.IntlNumberTypes(ctx, &IntlCountryRequest{CountryRef: "FRA"})
			return err
		}},
		{OpIntlRoutingOptionList, func(c *Client) error {
			_, err := c.IntlRoutingOptionList(ctx, &IntlCountryRequest{CountryRef: "FRA"})
			return err
		}},
		{OpAccountDefault, func(c *Client) error {
			d := DefaultsFromDetail(&AccountDefaults{ContactFirstName: "API", ContactLastName: "Notices", ContactEmail: "API@email.com",
				DesiredPortTime: "14:00", DesiredPortTimeZone: "US/Pacific", WebHookURL: "test.inteliquent.com", PortOutPin: "123",
				CnamDip: "Y", CnamDipTf: "Y", WebhookHeader: "ABC123def456", AuthorizeWebhookPortout: "Y",
				PortOutContactList: &PortOutContactList{PortOutContactItem: []PortOutContact{{ContactLastName: "Email", ContactFirstName: "Test", ContactEmail: "test@email.com"}}}})
			_, err := c.AccountDefault(ctx, &AccountDefaultRequest{CustomerDefault: d})
			return err
		}},
		{OpTicketCreate, func(c *Client) error {
			_, err := c.TicketCreate(ctx, &TicketCreateRequest{ContactName: "Sharon Smile", ContactPhone: "8885551234", Extension: &FlexInt{N: 1234, Valid: true},
				CountryRef: "USA", Description: "CNAM issue, please resolve.", OccurDate: "2015-12-26", ExtlCompanyTicket: "TestTicketNum01",
				ProblemCodeRef: "CALLERID", ContactEmailAddress: "ssmile@email.com", OrigTn: "1234546903", TermTn: "1235650395"})
			return err
		}},
		{OpTicketAddNote, func(c *Client) error {
			_, err := c.TicketAddNote(ctx, &TicketAddNoteRequest{TroubleTicketID: "65842", TroubleTicketNote: "This is a test note"})
			return err
		}},
		{OpTrunkGroupUpdate, func(c *Client) error {
			_, err := c.TrunkGroupUpdate(ctx, &TrunkGroupUpdateRequest{TrunkGroupNameNew: "Main Trunk Group", TrunkGroupNameCurrent: "CHCGIL24CL1_897"})
			return err
		}},
		{OpRoutingLabelUpdate, func(c *Client) error {
			_, err := c.RoutingLabelUpdate(ctx, &RoutingLabelUpdateRequest{RoutingLabel: "NTNYC-690-8XX-123", NewRoutingLabel: "Main Routing Label"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t)
			require.NoError(t, tt.call(env.c))
			checkRequestGolden(t, env, tt.op, tt.op)
		})
	}
}

func TestReferenceOpTable(t *testing.T) {
	for _, op := range []string{OpRateCenterCoverage, OpLataInventory, OpTnFeatureCnamDip, OpTicketList, OpTicketDetail, OpTicketNote,
		OpAccountDefaultDetail, OpSwitchLocationList, OpDtmfRelayList, OpCustomerLocationList, OpVoiceScriptDetail,
		OpAddressValidate, OpTnPortOutHistory, OpIntlCountryList, OpIntlAreaCodeInfo, OpIntlNumberTypes, OpIntlRoutingOptionList} {
		assert.False(t, IsStateChanging(op), op)
		assert.True(t, IsIdempotent(op), op)
	}
	for _, op := range []string{OpPortOutApproval, OpTnPortOutReject, OpTrunkGroupUpdate, OpRoutingLabelUpdate, OpTicketCreate, OpTicketAddNote} {
		assert.True(t, IsStateChanging(op), op)
		assert.False(t, IsIdempotent(op), op)
	}
	assert.Equal(t, []string{"PIN", "DATAMIS", "AUTHNMMIS", "INVACCT", "INVZIPCD"}, PortOutRejectReasons())
	assert.True(t, IsPortOutRejectReason("INVACCT"))
	assert.False(t, IsPortOutRejectReason("invacct"), "the guide's codes are upper case")
}

// The guide's example answers (the sandbox's copies) decode into the
// client's types with the fields a user wants.
func TestReferenceGuideAnswers(t *testing.T) {
	decode := func(t *testing.T, name string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "sandbox", "testdata", "guide", name+".response.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v), name)
	}
	tests := []struct {
		name  string
		check func(t *testing.T, name string)
	}{
		{"rateCenterCoverage", func(t *testing.T, n string) {
			var r RateCenterCoverageResponse
			decode(t, n, &r)
			require.Len(t, r.RateCenterList.RateCenterItem, 3)
			assert.Equal(t, RateCenterItem{Lata: "128", RcAbbre: "HAVERHILL", MarketName: "Boston MA", LocState: "MA", LnpApproved: "Y", DidApproved: "Y"}, r.RateCenterList.RateCenterItem[1])
		}},
		{"lataInventory", func(t *testing.T, n string) {
			var r LataInventoryResponse
			decode(t, n, &r)
			require.Len(t, r.LataList, 2)
			assert.Equal(t, FlexString("478"), r.LataList[1].Lata)
		}},
		{"tnFeatureCnamDip", func(t *testing.T, n string) {
			var r TnFeatureCnamDipResponse
			decode(t, n, &r)
			require.Len(t, r.TnFeatureCnamDipList, 3)
			assert.Equal(t, "N", r.TnFeatureCnamDipList[2].CnamDip)
			assert.Equal(t, int64(1), r.TotalPages.N)
			assert.NotEmpty(t, r.SearchID)
		}},
		{"ticketList", func(t *testing.T, n string) {
			var r TicketListResponse
			decode(t, n, &r)
			require.Len(t, r.TroubleTicketList, 1)
			assert.Equal(t, FlexString("65869"), r.TroubleTicketList[0].TroubleTicketID, "a JSON number")
		}},
		{"ticketDetail", func(t *testing.T, n string) {
			var r TicketDetailResponse
			decode(t, n, &r)
			require.Len(t, r.TicketDetailList, 1)
			d := r.TicketDetailList[0]
			assert.Equal(t, "Fast Busy", d.TroubleTicketProblemCode)
			assert.Equal(t, FlexString("4432141004"), d.TermTN)
			assert.Equal(t, "Bullock, Christopher ", d.NocTechDisplayName)
		}},
		{"ticketNote", func(t *testing.T, n string) {
			var r TicketNoteResponse
			decode(t, n, &r)
			require.Len(t, r.TicketNoteList, 1)
			assert.Equal(t, "12-31-2015 03:09:53 PM", r.TicketNoteList[0].InsertDate)
		}},
		{"accountDefaultDetail", func(t *testing.T, n string) {
			var r AccountDefaultDetailResponse
			decode(t, n, &r)
			d := r.AccountDefaultDetail
			assert.Equal(t, "test.inteliquent.com", d.WebHookURL)
			assert.Equal(t, FlexString("123"), d.PortOutPin)
			require.NotNil(t, d.PortOutContactList)
			assert.Equal(t, "test@email.com", d.PortOutContactList.PortOutContactItem[0].ContactEmail)
		}},
		{"dtmfRelayList", func(t *testing.T, n string) {
			var r DtmfRelayListResponse
			decode(t, n, &r)
			assert.Equal(t, []string{"2833", "None = INBAND"}, r.DtmfRelayList)
		}},
		{"voiceScriptDetail-1", func(t *testing.T, n string) {
			var r VoiceScriptDetailResponse
			decode(t, n, &r)
			require.Len(t, r.VoiceScriptResponse.VoiceScript, 1)
			v := r.VoiceScriptResponse.VoiceScript[0]
			assert.True(t, v.Enabled)
			assert.Equal(t, TN("3123752699"), v.TN)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, tt.name) })
	}
}
