package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The E911 and messaging requests, checked against
// testdata/requests/<op>.json (go test -run TestE911RequestBodies -update).
// They mirror the guide's examples.
func TestE911RequestBodies(t *testing.T) {
	ctx := context.Background()
	campaign := &TnMessagingCampaignRequest{}
	campaign.TnCampaign.CustomerOrderReference = "run1-b0001"
	campaign.TnCampaign.TnList.TnItem = []TnCampaignItem{
		NewTnCampaignItem("2312518282", "CXFXN8B", false),
		NewTnCampaignItem("6142959262", "CLLOE4H", true),
	}
	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpTnE911, func(c *Client) error {
			_, err := c.TnE911(ctx, &TnE911Request{TN: "3123488244", Name: "James Holden", StreetNum: "550", StreetInfo: "W Adams St",
				Location: "9th floor", City: "Chicago", State: "IL", PostalCode: "60661", PostalCodePlusFour: "3665"})
			return err
		}},
		{OpTnE911Validate, func(c *Client) error {
			_, err := c.TnE911Validate(ctx, &TnE911ValidateRequest{TN: "3123488246", Name: "Test User", StreetNum: "550",
				StreetInfo: "W Adams St", City: "Chicago", State: "IL", PostalCode: "60661"})
			return err
		}},
		{OpTnE911Notification, func(c *Client) error {
			_, err := c.TnE911Notification(ctx, &TnE911NotificationRequest{
				TnE911Notification: TnE911Notification{TN: "2015540010", EmailList: Emails("qwerty@def.com", "asdfgh@def.com")},
				RemoveNotification: "Y"})
			return err
		}},
		{OpTnE911NotificationList, func(c *Client) error {
			_, err := c.TnE911NotificationList(ctx, &TnE911NotificationListRequest{TnE911Notification{TN: "3123489651"}})
			return err
		}},
		{OpCustomerE911Notification, func(c *Client) error {
			_, err := c.CustomerE911Notification(ctx, &CustomerE911NotificationRequest{
				CustomerNotification: CustomerNotification{EmailList: Emails("abc123@def.com", "abc234@def.com")}})
			return err
		}},
		{OpCustomerE911NotificationList, func(c *Client) error {
			_, err := c.CustomerE911NotificationList(ctx, nil)
			return err
		}},
		{OpTnMessaging, func(c *Client) error {
			_, err := c.TnMessaging(ctx, &TnMessagingRequest{TN: "3123488246", MessageClass: "P2P", MessageType: "SMS", NetNumberID: "1234", AltSpid: "1234"})
			return err
		}},
		{OpTnMessagingCampaign, func(c *Client) error {
			_, err := c.TnMessagingCampaign(ctx, campaign)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			require.NoError(t, tt.call(env.c))
			reqs := env.api.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "POST", reqs[0].Method)
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

func TestTnE911RemoveSendsOnlyTnAndFlag(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
	_, err := env.c.TnE911(context.Background(), &TnE911Request{TN: "3123488244", RemoveE911: "Y"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"privateKey": testKey, "tn": "3123488244", "removeE911": "Y"}, decodeBody(t, env.api.requests()[0].Body))
}

// The guide's answers (testdata/guide_e911, copied from the guide with the
// split blocks and stray braces fixed) decode with the client's types.
func TestE911GuideAnswers(t *testing.T) {
	read := func(t *testing.T, name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "guide_e911", name))
		require.NoError(t, err)
		return b
	}
	decode := func(t *testing.T, name string, v any) {
		require.NoError(t, json.Unmarshal(read(t, name), v), name)
	}
	tests := []struct {
		file  string
		check func(t *testing.T, f string)
	}{
		{"tnE911_valid.json", func(t *testing.T, f string) {
			var r TnE911Response
			decode(t, f, &r)
			assert.Equal(t, E911Valid, r.TnE911Response.ProvisionResult.Int())
			assert.True(t, r.TnE911Response.ProvisionResult.Valid)
			assert.Equal(t, "VALID", r.TnE911Response.ProvisionMsg)
			assert.Equal(t, FlexString("3665"), r.TnE911Response.ProvisionedPostalCodePlusFour)
		}},
		{"tnE911_corrected.json", func(t *testing.T, f string) {
			var r TnE911Response
			decode(t, f, &r)
			assert.Equal(t, E911Corrected, r.TnE911Response.ProvisionResult.Int())
			assert.Equal(t, "Adams", r.TnE911Response.OrigStreetInfo)
			assert.Equal(t, "W Adams St", r.TnE911Response.ProvisionedStreetInfo)
		}},
		{"tnE911_delete.json", func(t *testing.T, f string) {
			var r TnE911Response
			decode(t, f, &r)
			assert.False(t, r.TnE911Response.ProvisionResult.Valid)
			assert.Empty(t, r.TnE911Response.TN)
		}},
		{"tnE911_409.json", func(t *testing.T, f string) {
			var r TnE911Response
			decode(t, f, &r)
			assert.Equal(t, "409", r.StatusCode.String())
			assert.Equal(t, E911Invalid, r.TnE911Response.ProvisionResult.Int())
			assert.Contains(t, r.TnE911Response.ProvisionMsg, "no correction found")
		}},
		{"tnE911Validate_valid.json", func(t *testing.T, f string) {
			var r TnE911ValidateResponse
			decode(t, f, &r)
			assert.Equal(t, E911Valid, r.TnE911ValidateResponse.ValidationResult.Int())
			assert.Equal(t, []string{"Valid address"}, r.TnE911ValidateResponse.Messages())
		}},
		{"tnE911Validate_corrected.json", func(t *testing.T, f string) {
			var r TnE911ValidateResponse
			decode(t, f, &r)
			v := r.TnE911ValidateResponse
			assert.Equal(t, E911Corrected, v.ValidationResult.Int())
			assert.Equal(t, []string{"Corrected to valid address", "Corrected ZIP Code", "Changed address component"}, v.Messages())
			assert.Equal(t, "W Adams St", v.CorrectedStreetInfo)
			assert.Equal(t, FlexString("60661"), v.CorrectedPostalCode)
		}},
		{"tnE911Validate_invalid.json", func(t *testing.T, f string) {
			var r TnE911ValidateResponse
			decode(t, f, &r)
			v := r.TnE911ValidateResponse
			assert.Equal(t, E911Invalid, v.ValidationResult.Int())
			require.Len(t, v.CandidateAddressList, 2)
			assert.Equal(t, "318 W 28th St, Tucson, AZ 85713-2848, USA", v.CandidateAddressList[0].String())
			assert.Equal(t, "318 E 28th St, Tucson, AZ 85713-2942, USA", v.CandidateAddressList[1].String())
		}},
		{"tnE911Notification.json", func(t *testing.T, f string) {
			var r TnE911NotificationResponse
			decode(t, f, &r)
			assert.Equal(t, []string{"abc123@def.com", "abc234@def.com", "qwerty@def.com", "asdfgh@def.com"}, r.Addresses())
		}},
		{"tnE911Notification_460.json", func(t *testing.T, f string) {
			var r TnE911NotificationResponse
			decode(t, f, &r)
			assert.Equal(t, "460", r.StatusCode.String())
			assert.Nil(t, r.Addresses())
		}},
		{"tnE911NotificationList_none.json", func(t *testing.T, f string) {
			var r TnE911NotificationResponse
			decode(t, f, &r)
			require.NotNil(t, r.TnE911Notification)
			assert.Equal(t, TN("3123489651"), r.TnE911Notification.TN)
			assert.Empty(t, r.Addresses())
		}},
		{"customerE911NotificationList_none.json", func(t *testing.T, f string) {
			var r CustomerE911NotificationResponse
			decode(t, f, &r)
			assert.Empty(t, r.Addresses())
		}},
		{"tnMessaging_425.json", func(t *testing.T, f string) {
			var r StatusResponse
			decode(t, f, &r)
			assert.Equal(t, "425", r.StatusCode.String())
		}},
		{"tnMessagingCampaign.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("14753748"), r.OrderID)
		}},
		{"tnMessagingCampaign_number.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("14753748"), r.OrderID)
		}},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "guide_e911", "*.json"))
	require.NoError(t, err)
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.file] = true
		t.Run(tt.file, func(t *testing.T) { tt.check(t, tt.file) })
	}
	for _, f := range files {
		assert.True(t, covered[filepath.Base(f)], "%s has no check", f)
	}
}

// The 409 of tnE911 and the 425 of tnMessagingCampaign come back with the
// decoded answer AND a typed error; other errors with no answer.
func TestE911ErrorAnswersKeepTheBody(t *testing.T) {
	ctx := context.Background()
	guide := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "guide_e911", name))
		require.NoError(t, err)
		return string(b)
	}
	t.Run("tnE911 409", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, _ *http.Request, _ int, _ recorded) {
			reply(w, 200, guide("tnE911_409.json"))
		}
		resp, err := env.c.TnE911(ctx, &TnE911Request{TN: "3123488244"})
		require.Error(t, err)
		assert.Equal(t, "409", Code(err))
		assert.False(t, IsRetryable(err))
		require.NotNil(t, resp)
		assert.Equal(t, E911Invalid, resp.TnE911Response.ProvisionResult.Int())
		assert.Len(t, env.api.requests(), 1, "a 409 is final")
	})
	t.Run("tnMessagingCampaign 425", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, _ *http.Request, _ int, _ recorded) {
			reply(w, 200, `{"status":"Partial Success","statusCode":"425","orderId":"2000009"}`)
		}
		resp, err := env.c.TnMessagingCampaign(ctx, &TnMessagingCampaignRequest{})
		var ae *APIError
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, "425", ae.Code)
		require.NotNil(t, resp)
		assert.Equal(t, OrderID("2000009"), resp.OrderID)
	})
	t.Run("tnMessagingCampaign 432", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, _ *http.Request, _ int, _ recorded) {
			reply(w, 200, `{"status":"TN Excluded","statusCode":"432"}`)
		}
		resp, err := env.c.TnMessagingCampaign(ctx, &TnMessagingCampaignRequest{})
		assert.Equal(t, "432", Code(err))
		assert.Nil(t, resp)
	})
	t.Run("tnE911Validate is sent in dry run, tnE911 is not", func(t *testing.T) {
		env := newEnv(t, func(c *Config) { c.DryRun = true })
		_, err := env.c.TnE911Validate(ctx, &TnE911ValidateRequest{TN: "3123488246"})
		require.NoError(t, err)
		_, err = env.c.TnE911(ctx, &TnE911Request{TN: "3123488246"})
		assert.ErrorIs(t, err, ErrDryRun)
		assert.Len(t, env.api.requests(), 1)
	})
}
