package sandbox

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// subset asserts that every key of want is in got with an equal value
// (the sandbox may answer more keys than an example shows).
func subset(t *testing.T, want, got map[string]any, path string) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !assert.True(t, ok, "%s.%s missing", path, k) {
			continue
		}
		if wm, ok := w.(map[string]any); ok {
			gm, _ := g.(map[string]any)
			subset(t, wm, gm, path+"."+k)
			continue
		}
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		assert.JSONEq(t, string(wj), string(gj), "%s.%s", path, k)
	}
}

func guideAnswer(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &m))
	return m
}

// The guide's three tnE911Validate examples answer as the guide prints them.
func TestE911ValidateGuideExamples(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name string
		req  map[string]any
		want string
	}{
		{"valid", map[string]any{"tn": "3123488246", "name": "Test User", "streetNum": "550", "streetInfo": "W Adams St", "city": "Chicago", "state": "IL", "postalCode": "60661"},
			`{"status":"Success","statusCode":"200","tnE911ValidateResponse":{"tn":"3123488246","name":"Test User","streetNum":"550","streetInfo":"W Adams St","location":"","city":"Chicago","state":"IL","postalCode":"60661","validationResult":0,"validationMsg":"Valid address","correctedStreetNum":"550","correctedStreetInfo":"W Adams St","correctedCity":"Chicago","correctedState":"IL","correctedPostalCode":"60661"}}`},
		{"corrected", map[string]any{"tn": "3123488246", "name": "Test User", "streetNum": "550", "streetInfo": "W Adams", "city": "Chicago", "state": "IL", "postalCode": "60601"},
			`{"status":"Success","statusCode":"200","tnE911ValidateResponse":{"tn":"3123488246","name":"Test User","streetNum":"550","streetInfo":"W Adams","city":"Chicago","state":"IL","postalCode":"60601","validationResult":1,"validationMsg":"Corrected to valid address|Corrected ZIP Code|Changed address component","correctedStreetNum":"550","correctedStreetInfo":"W Adams St","correctedCity":"Chicago","correctedState":"IL","correctedPostalCode":"60661"}}`},
		{"toll-free corrected", map[string]any{"tn": "8334472663", "name": "Test User", "streetNum": "550", "streetInfo": "W Adams", "city": "Chicago", "state": "IL", "postalCode": "60601"},
			`{"statusCode":"200","tnE911ValidateResponse":{"tn":"8334472663","validationResult":1,"correctedPostalCode":"60661"}}`},
		{"not close enough", map[string]any{"tn": "3123488246", "name": "Test User", "streetNum": "318", "streetInfo": "28th", "city": "Tucson", "state": "AZ", "postalCode": "85713"},
			`{"status":"Success","statusCode":"200","tnE911ValidateResponse":{"tn":"3123488246","name":"Test User","streetNum":"318","streetInfo":"28th","city":"Tucson","state":"AZ","postalCode":"85713","validationResult":2,"validationMsg":"Invalid address - no correction found|Multiple addresses found (may be missing pre-directional)"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call("tnE911Validate", tt.req)
			subset(t, guideAnswer(t, tt.want), got, "")
		})
	}
	got := h.call("tnE911Validate", tests[3].req)
	cands := list(got, "tnE911ValidateResponse", "candidateAddressList")
	require.Len(t, cands, 2)
	subset(t, guideAnswer(t, `{"streetNum":"318","streetInfo":"W 28th St","city":"Tucson","state":"AZ","postalCode":"85713","postalCodePlusFour":"2848","country":"USA"}`), cands[0].(map[string]any), "c0")
	subset(t, guideAnswer(t, `{"streetNum":"318","streetInfo":"E 28th St","city":"Tucson","state":"AZ","postalCode":"85713","postalCodePlusFour":"2942","country":"USA"}`), cands[1].(map[string]any), "c1")
}

// The documented predictable inputs of the address book.
func TestAddressBook(t *testing.T) {
	tests := []struct {
		a      e911Address
		result int
		msg    string
		street string
		cands  int
	}{
		{e911Address{streetNum: "550", streetInfo: "W Adams St", city: "Chicago", state: "IL", postalCode: "60661"}, 0, msgValid, "W Adams St", 0},
		{e911Address{streetNum: "550", streetInfo: "west adams street", city: "CHICAGO", state: "il", postalCode: "60661"}, 0, msgValid, "W Adams St", 0},
		{e911Address{streetNum: "550", streetInfo: "Adams", city: "Chicago", state: "IL", postalCode: "60661"}, 1, msgCorrected + "|" + msgComponent, "W Adams St", 0},
		{e911Address{streetNum: "100", streetInfo: "Michigan", city: "Chicago", state: "IL", postalCode: "60611"}, 1, msgCorrected + "|" + msgComponent, "N Michigan Ave", 0},
		{e911Address{streetNum: "100", streetInfo: "Main St", city: "Dallas", state: "TX", postalCode: "75202"}, 1, msgCorrected + "|" + msgZIP, "Main St", 0},
		{e911Address{streetNum: "100", streetInfo: "Main St", city: "Dalas", state: "TX", postalCode: "75201"}, 1, msgCorrected + "|" + msgCityChange, "Main St", 0},
		{e911Address{streetNum: "318", streetInfo: "W 28th St", city: "Tucson", state: "AZ", postalCode: "85713"}, 0, msgValid, "W 28th St", 0},
		{e911Address{streetNum: "200", streetInfo: "1st Ave", city: "Phoenix", state: "AZ", postalCode: "85003"}, 2, msgNoCorrect + "|" + msgMultiple, "", 2},
		{e911Address{streetNum: "55012345", streetInfo: "Adams", city: "Chicago", state: "IL", postalCode: "60601"}, 2, msgNoCorrect, "", 0},
		{e911Address{streetNum: "12B", streetInfo: "W Adams St", city: "Chicago", state: "IL", postalCode: "60661"}, 2, msgNoCorrect, "", 0},
		{e911Address{streetNum: "1", streetInfo: "Nowhere Rd", city: "Chicago", state: "IL", postalCode: "60661"}, 2, msgNoCorrect, "", 0},
		{e911Address{streetNum: "550", streetInfo: "W Adams St", city: "Chicago", state: "WI", postalCode: "60661"}, 2, msgNoCorrect, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a.streetNum+" "+tt.a.streetInfo+" "+tt.a.city, func(t *testing.T) {
			v := newAddressWorld(1).validateAddress(tt.a)
			assert.Equal(t, tt.result, v.result)
			assert.Equal(t, tt.msg, v.msg)
			assert.Len(t, v.candidates, tt.cands)
			if tt.street != "" {
				require.NotNil(t, v.corrected)
				assert.Equal(t, tt.street, v.corrected.info())
			} else {
				assert.Nil(t, v.corrected)
			}
		})
	}
}

func TestTnE911(t *testing.T) {
	h := newHarness(t, Options{})
	addr := func(tn, info, zip string) map[string]any {
		return map[string]any{"tn": tn, "name": "James Holden", "streetNum": "550", "streetInfo": info, "location": "9th floor",
			"city": "Chicago", "state": "IL", "postalCode": zip, "postalCodePlusFour": "3665"}
	}
	t.Run("valid, as the guide shows", func(t *testing.T) {
		got := h.call("tnE911", addr("3123488244", "W Adams St", "60661"))
		subset(t, guideAnswer(t, `{"status":"Success","statusCode":"200","tnE911Response":{"tn":"3123488244","name":"James Holden","origStreetNum":"550","origStreetInfo":"W Adams St","origLocation":"9th floor","origCity":"Chicago","origState":"IL","origPostalCode":"60661","origPostalCodePlusFour":"3665","provisionMsg":"VALID","provisionResult":0,"provisionedStreetNum":"550","provisionedStreetInfo":"W Adams St","provisionedLocation":"9th floor","provisionedCity":"Chicago","provisionedState":"IL","provisionedPostalCode":"60661","provisionedPostalCodePlusFour":"3665"}}`), got, "")
	})
	t.Run("corrected, as the guide shows", func(t *testing.T) {
		got := h.call("tnE911", addr("3123488244", "Adams", "60661"))
		subset(t, guideAnswer(t, `{"statusCode":"200","tnE911Response":{"origStreetInfo":"Adams","provisionMsg":"CORRECTED","provisionResult":1,"provisionedStreetInfo":"W Adams St","provisionedPostalCode":"60661","provisionedPostalCodePlusFour":"3665"}}`), got, "")
		assert.Equal(t, "W Adams St", h.srv.E911Address("3123488244")["origStreetInfo"], "the corrected address is provisioned")
	})
	t.Run("invalid address, as the guide shows", func(t *testing.T) {
		req := addr("3123488244", "Adams", "60601")
		req["streetNum"] = "55012345"
		got := h.call("tnE911", req)
		subset(t, guideAnswer(t, `{"status":"Invalid Address","statusCode":"409","tnE911Response":{"provisionMsg":"3123488244 Invalid address, 3123488244 Validation result: 2 Message: Invalid address - no correction found","provisionResult":2}}`), got, "")
		assert.Equal(t, "W Adams St", h.srv.E911Address("3123488244")["origStreetInfo"], "a 409 changes nothing")
	})
	t.Run("unknown keys, as the guide shows", func(t *testing.T) {
		req := addr("3123488244", "W Adams St", "60661")
		req["tN"] = req["tn"]
		req["name1"] = req["name"]
		delete(req, "tn")
		delete(req, "name")
		got := h.call("tnE911", req)
		assert.Equal(t, "400", code(got))
		assert.Equal(t, "Request format not recognized (Unrecognized fields in json)", got["status"])
	})
	t.Run("shown in tnDetail", func(t *testing.T) {
		got := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": "3123488244"}}}})
		items := list(got, "tnList", "tnItem")
		require.Len(t, items, 1)
		assert.Equal(t, "W Adams St", dig(items[0], "tnFeature", "e911", "origStreetInfo"))
	})
	t.Run("delete, as the guide shows", func(t *testing.T) {
		got := h.call("tnE911", map[string]any{"tn": "3123488244", "removeE911": "Y"})
		assert.Equal(t, "200", code(got))
		assert.Equal(t, map[string]any{}, got["tnE911Response"])
		assert.Nil(t, h.srv.E911Address("3123488244"))
	})
	t.Run("number not on the account", func(t *testing.T) {
		got := h.call("tnE911", addr("3125550100", "W Adams St", "60661"))
		assert.Equal(t, "409", code(got))
		assert.Equal(t, "Invalid TN submitted:[3125550100]", got["status"])
	})
	t.Run("required field", func(t *testing.T) {
		req := addr("3123488244", "W Adams St", "60661")
		delete(req, "city")
		assert.Equal(t, "Fields Are Required:city", h.call("tnE911", req)["status"])
	})
	// Only the 200s were applied.
	applied := 0
	for _, e := range h.srv.Audit() {
		if e.Op == "tnE911" && e.Applied {
			applied++
		}
	}
	assert.Equal(t, 3, applied)
}

func TestE911Notifications(t *testing.T) {
	h := newHarness(t, Options{})
	body := func(tn string, remove bool, emails ...string) map[string]any {
		items := make([]any, len(emails))
		for i, e := range emails {
			items[i] = map[string]any{"email": e}
		}
		b := map[string]any{"tnE911Notification": map[string]any{"tn": tn, "emailList": map[string]any{"emailItem": items}}}
		if remove {
			b["removeNotification"] = "Y"
		}
		return b
	}
	emails := func(m map[string]any, keys ...string) []string {
		var out []string
		for _, e := range list(m, append(keys, "emailList", "emailItem")...) {
			out = append(out, dig(e, "email").(string))
		}
		return out
	}
	tn := "3123489651"
	got := h.call("tnE911NotificationList", map[string]any{"tnE911Notification": map[string]any{"tn": tn}})
	assert.Equal(t, "200", code(got))
	assert.Nil(t, dig(got, "tnE911Notification", "emailList"), "no emailList when there are none")

	got = h.call("tnE911Notification", body(tn, false, "abc123@def.com", "abc234@def.com"))
	assert.Equal(t, []string{"abc123@def.com", "abc234@def.com"}, emails(got, "tnE911Notification"))
	got = h.call("tnE911Notification", body(tn, false, "qwerty@def.com", "asdfgh@def.com", "ABC123@def.com"))
	assert.Equal(t, []string{"abc123@def.com", "abc234@def.com", "qwerty@def.com", "asdfgh@def.com"}, emails(got, "tnE911Notification"), "cumulative, no duplicates")
	got = h.call("tnE911Notification", body(tn, true, "qwerty@def.com", "asdfgh@def.com"))
	assert.Equal(t, []string{"abc123@def.com", "abc234@def.com"}, emails(got, "tnE911Notification"))

	var nine []string
	for _, c := range "abcdefghi" {
		nine = append(nine, string(c)+"@x.example")
	}
	got = h.call("tnE911Notification", body(tn, false, nine...))
	assert.Equal(t, "460", code(got))
	assert.Equal(t, "Unable to add more than 10 notification emails to a number.", got["status"])
	got = h.call("tnE911NotificationList", map[string]any{"tnE911Notification": map[string]any{"tn": tn}})
	assert.Len(t, emails(got, "tnE911Notification"), 2, "a 460 changes nothing")

	got = h.call("tnE911Notification", body("3125550100", false, "a@b.example"))
	assert.Equal(t, "461", code(got))
	got = h.call("tnE911Notification", body(tn, false, "not-an-email"))
	assert.Equal(t, "462", code(got))

	got = h.call("customerE911NotificationList", nil)
	assert.Equal(t, map[string]any{}, got["customerNotification"])
	got = h.call("customerE911Notification", map[string]any{"customerNotification": map[string]any{"emailList": map[string]any{"emailItem": []any{map[string]any{"email": "noc@x.example"}}}}})
	assert.Equal(t, []string{"noc@x.example"}, emails(got, "customerNotification"))
	got = h.call("customerE911NotificationList", nil)
	assert.Equal(t, []string{"noc@x.example"}, emails(got, "customerNotification"))
}

func TestTnMessaging(t *testing.T) {
	h := newHarness(t, Options{})
	got := h.call("tnMessaging", map[string]any{"tn": "3123488246", "messageClass": "P2P", "messageType": "SMS", "netNumberId": "1234", "altSpid": "1234"})
	assert.Equal(t, map[string]any{"status": "Success", "statusCode": "200"}, got)
	d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": "3123488246"}}}})
	assert.Equal(t, "SMS", dig(list(d, "tnList", "tnItem")[0], "tnFeature", "messaging", "messageType"))

	got = h.call("tnMessaging", map[string]any{"tn": "3125550100", "messageClass": "P2P", "messageType": "SMS"})
	assert.Equal(t, "425", code(got))
	assert.Equal(t, msgProvisionFailed, got["status"])
	got = h.call("tnMessaging", map[string]any{"tn": "3123488246", "messageClass": "P2P", "messageType": "FAX"})
	assert.Equal(t, "414", code(got))
	got = h.call("tnMessaging", map[string]any{"tn": "3123488246", "removeMessaging": "Y"})
	assert.Equal(t, "200", code(got))
	got = h.call("tnMessaging", map[string]any{"tn": "3125550100", "removeMessaging": "Y"})
	assert.Equal(t, msgRemoveFailed, got["status"])
}

func campaignBody(ref, field, campaign string, remove bool, tns ...string) map[string]any {
	items := make([]any, len(tns))
	for i, tn := range tns {
		m := map[string]any{field: campaign}
		if remove {
			m["removeTnCampaign"] = "Y"
		}
		items[i] = map[string]any{"tn": tn, "tnFeature": map[string]any{"messaging": m}}
	}
	return map[string]any{"tnCampaign": map[string]any{"customerOrderReference": ref, "tnList": map[string]any{"tnItem": items}}}
}

func TestTnMessagingCampaign(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Options{StateDir: dir})
	campaignsOf := func() map[string]string {
		out := map[string]string{}
		got := h.call("tnMessagingCampaignList", nil)
		for _, it := range list(got, "tnMessageCampaignList", "tnMessageCampaignItem") {
			out[dig(it, "tn").(string)] = dig(it, "msgCampaignId").(string)
		}
		return out
	}
	// The examples' tnCampaign and the table's messageCampaignId both work.
	got := h.call("tnMessagingCampaign", campaignBody("r1", "tnCampaign", "CXFXN8B", false, "3123489651", "3123489652"))
	assert.Equal(t, "200", code(got))
	require.NotEmpty(t, got["orderId"])
	got = h.call("tnMessagingCampaign", campaignBody("r2", "messageCampaignId", "CA1B2C3", false, "3123489653"))
	assert.Equal(t, "200", code(got))
	assert.Equal(t, map[string]string{"3123489651": "CXFXN8B", "3123489652": "CXFXN8B", "3123489653": "CA1B2C3"}, campaignsOf())

	// 425: some numbers excluded; excludedTnList names them.
	got = h.call("tnMessagingCampaign", campaignBody("r3", "tnCampaign", "CA1B2C3", false, "3123489654", "3125550100"))
	assert.Equal(t, "425", code(got))
	assert.Equal(t, "Partial Success", got["status"])
	ex := h.call("excludedTnList", map[string]any{"orderId": got["orderId"]})
	items := list(ex, "excludedTnList", "excludedTnItem")
	require.Len(t, items, 1)
	assert.EqualValues(t, 3125550100, dig(items[0], "tn"))

	// 432: all excluded; nothing changes. 414: unknown or ended campaign.
	assert.Equal(t, "432", code(h.call("tnMessagingCampaign", campaignBody("r4", "tnCampaign", "CA1B2C3", false, "3125550100"))))
	assert.Equal(t, "414", code(h.call("tnMessagingCampaign", campaignBody("r5", "tnCampaign", "CNOSUCH", false, "3123489655"))))
	assert.Equal(t, "414", code(h.call("tnMessagingCampaign", campaignBody("r6", "tnCampaign", "CTEST01", false, "3123489655"))), "ended campaign")
	assert.Equal(t, "409", code(h.call("tnMessagingCampaign", campaignBody("r7", "tnCampaign", "CA1B2C3", false, "20873619391"))))

	// Removal: naming another campaign excludes the number.
	got = h.call("tnMessagingCampaign", campaignBody("r8", "tnCampaign", "CXFXN8B", true, "3123489651", "3123489653"))
	assert.Equal(t, "425", code(got))
	assert.Equal(t, map[string]string{"3123489652": "CXFXN8B", "3123489653": "CA1B2C3", "3123489654": "CA1B2C3"}, campaignsOf())

	// The order closes like a feature order.
	h.clock.Advance(time.Minute)
	od := h.call("orderDetail", map[string]any{"orderId": got["orderId"]})
	assert.Equal(t, "Closed", dig(od, "orderDetailResponse", "orderStatus"))

	// A restarted sandbox replays the 425 changes too.
	before := campaignsOf()
	require.NoError(t, h.srv.Close())
	srv2, err := New(Options{StateDir: dir, WorldSize: 200_000, Now: h.clock.Now})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv2.Close() })
	h.srv = srv2
	h.ts.Config.Handler = srv2
	assert.Equal(t, before, campaignsOf())
	_, err = os.Stat(filepath.Join(dir, journalFile))
	require.NoError(t, err)
}

// TestOrderE911Validation: orders validate the E911 feature against the
// address world in the background, like tnE911Validate, and exclude what
// does not validate as sent into excludedE911Detail with the guide's reasons.
func TestOrderE911Validation(t *testing.T) {
	h := newHarness(t, Options{})
	world := h.srv.E911Addresses(3)
	tests := []struct {
		name   string
		e911   map[string]any
		reason string // "" provisioned
	}{
		{"guide's valid address", map[string]any{"origStreetNum": "550", "origStreetInfo": "W Adams St", "origCity": "Chicago", "origState": "IL", "origPostalCode": "60661"}, ""},
		{"address world", map[string]any{"origStreetNum": world[2].StreetNum, "origStreetInfo": world[2].StreetInfo, "origCity": world[2].City, "origState": world[2].State, "origPostalCode": world[2].PostalCode}, ""},
		{"guide's excluded example", map[string]any{"origStreetNum": "550", "origStreetInfo": "Adams", "origCity": "Chicago", "origState": "IL", "origPostalCode": "60661"}, reasonE911NotValidated + reasonE911MultipleText},
		{"fake", map[string]any{"origStreetNum": "1", "origStreetInfo": "Fake Rd", "origCity": "Nowhere", "origState": "ZZ", "origPostalCode": "12345"}, reasonE911NotValidated},
		{"wrong ZIP", map[string]any{"origStreetNum": "550", "origStreetInfo": "W Adams St", "origCity": "Chicago", "origState": "IL", "origPostalCode": "60601"}, reasonE911NotValidated},
	}
	for _, tc := range tests {
		for _, op := range []string{"tnOrder", "tnFeatureOrder"} {
			t.Run(tc.name+" "+op, func(t *testing.T) {
				tn := h.srv.AvailableTNs(1)[0]
				if op == "tnFeatureOrder" {
					require.Equal(t, "Success", h.call("tnOrder", orderBody("pre-"+tn, []string{tn}, nil))["status"])
				}
				e := map[string]any{"name": "Pat"}
				for k, v := range tc.e911 {
					e[k] = v
				}
				items := map[string]any{"tnItem": []any{map[string]any{"tn": tn, "tnFeature": map[string]any{"e911": e}}}}
				body := map[string]any{"tnOrder": map[string]any{"customerOrderReference": "e9-" + tn, "tnList": items}}
				if op == "tnFeatureOrder" {
					body = map[string]any{"tnFeatureOrder": map[string]any{"customerOrderReference": "e9-" + tn, "tnList": items}}
				}
				out := h.call(op, body)
				require.Equal(t, "200", code(out), "%v", out)
				h.clock.Advance(20 * time.Second)
				ex := h.call("excludedE911Detail", map[string]any{"customerOrderReference": "e9-" + tn})
				if tc.reason == "" {
					assert.Equal(t, "430", code(ex))
					assert.NotEmpty(t, h.srv.E911Address(tn))
					return
				}
				rows := list(ex, "excludedE911Detail", "excludedFeatureItem")
				require.Len(t, rows, 1)
				assert.Equal(t, tc.reason, dig(rows[0], "excludedReason"))
				assert.Empty(t, h.srv.E911Address(tn))
			})
		}
	}
}

// TestAddressWorld: the synthetic streets validate as sent, with one typo
// they are corrected, and they are the same for the same seed.
func TestAddressWorld(t *testing.T) {
	aw := newAddressWorld(1)
	assert.Equal(t, aw.streets, newAddressWorld(1).streets, "deterministic")
	assert.NotEqual(t, aw.streets, newAddressWorld(2).streets, "derived from the seed")
	assert.Greater(t, len(aw.streets), 500)
	h := newHarness(t, Options{})
	addrs := h.srv.E911Addresses(1000)
	valid := 0
	for _, a := range addrs {
		v := aw.validateAddress(e911Address{a.StreetNum, a.StreetInfo, "", a.City, a.State, a.PostalCode})
		if v.result == 0 {
			valid++
		}
		typo := []byte(a.StreetInfo)
		i := strings.LastIndexByte(a.StreetInfo, ' ') - 2 // inside the name
		if _, name, _ := splitStreet(a.StreetInfo); len(name) >= 4 && i > 0 && typo[i] != typo[i+1] {
			typo[i], typo[i+1] = typo[i+1], typo[i]
			v = aw.validateAddress(e911Address{a.StreetNum, string(typo), "", a.City, a.State, a.PostalCode})
			assert.Equal(t, 1, v.result, "%s -> %s", a.StreetInfo, typo)
			if v.corrected != nil {
				assert.Equal(t, a.StreetInfo, v.corrected.info())
			}
		}
	}
	assert.Equal(t, len(addrs), valid, "every address of the world validates")
}
