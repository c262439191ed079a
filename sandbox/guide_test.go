package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyPaths lists every node of a JSON value as a dotted path; array
// elements share the path "name[]".
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			keyPaths(c, p, out)
		}
	case []any:
		for _, c := range x {
			keyPaths(c, prefix+"[]", out)
		}
	}
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), path)
	return m
}

// bgOrder places a 101-number background order (plus extra items) and
// lets simulated time run into Pending.
func bgOrder(h *harness, ref string, extra ...map[string]any) int {
	items := tnItems(h.srv.AvailableTNs(101), map[string]any{"endUser": map[string]any{
		"name": "Marcia Bog", "streetNum": 123, "streetPreDir": "", "streetName": "Winding", "streetType": "Way", "streetPostDir": "",
		"locationType1": "", "locationValue1": "", "locationType2": "", "locationValue2": "", "locationType3": "", "locationValue3": "",
		"city": "Chicago", "state": "IL", "postalCode": "60661", "typeOfService": "R"}})
	list := items["tnItem"].([]map[string]any)
	items["tnItem"] = append(list, extra...)
	out := h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"customerOrderReference": ref, "tnList": items}})
	id, err := strconv.Atoi(out["orderId"].(string))
	require.NoError(h.t, err)
	h.clock.Advance(20 * time.Second)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	return id
}

func addScript(h *harness, item map[string]any) {
	out := h.call("voiceScript", map[string]any{"voiceScript": []any{item}})
	require.Equal(h.t, "200", code(out), "%v", out)
}

func reserve(h *harness, tns ...string) {
	out := h.call("tnReserve", map[string]any{"tnReserve": map[string]any{"tnList": tnItems(tns, nil)}})
	require.Equal(h.t, "200", code(out))
}

// TestGuideExamples sends the guide's own example requests (minimally
// fixed, see testdata/guide/FIXES.md) and checks that every JSON key path
// of the guide's example answer appears in the sandbox's answer, with the
// same statusCode.
func TestGuideExamples(t *testing.T) {
	five := []string{"2015540010", "2015540011", "2015540012", "2015540013", "2015540300"}
	cases := []struct {
		name  string
		opts  Options
		setup func(h *harness, req map[string]any)
	}{
		{name: "clientmgmt-getClientList"},
		{name: "tnInventory-1"},
		{name: "tnInventory-9-npanxx-local"},
		{name: "tnInventory-10-ratecenter-local"},
		{name: "tnInventory-11-city-local"},
		{name: "tnInventory-12-postal-local"},
		{name: "tnReserve-1-success"},
		{name: "tnReserve-2-limit", opts: Options{ReservationLimit: 4}},
		{name: "tnReserve-3-partial", setup: func(h *harness, _ map[string]any) { reserve(h, "2015540013", "2015540300") }},
		{name: "tnRelease-1-success", setup: func(h *harness, _ map[string]any) { reserve(h, five...) }},
		{name: "tnRelease-2-excluded"},
		{name: "tnReservedList-1-success", setup: func(h *harness, _ map[string]any) { reserve(h, h.srv.AvailableTNs(3)...) }},
		{name: "tnReservedList-2-none"},
		{name: "tnInventoryCoverage-1"},
		{name: "tnInventoryCoverage-2-ratecenter"},
		{name: "tnOrder"},
		{name: "tnAssignedList", setup: func(h *harness, _ map[string]any) {
			h.call("tnOrder", orderBody("", h.srv.AvailableTNs(101), nil)) // Pending numbers
			h.call("tnDisconnect", map[string]any{"tnList": tnItems([]string{"3123489659"}, nil)})
		}},
		{name: "tnDetail"},
		{name: "tnUpdate"},
		{name: "tnFeatureOrder"},
		{name: "portOutPinUpdate"},
		{name: "portInOrder"}, // the guide's example: callerId and messaging on the port-in item
		{name: "tnNoteUpdate"},
		{name: "tnDisconnect"},
		{name: "orderList", setup: func(h *harness, _ map[string]any) { bgOrder(h, "TestOrder04", map[string]any{"tn": 3344123221}) }},
		{name: "orderDetail", setup: func(h *harness, req map[string]any) {
			req["orderId"] = bgOrder(h, "TestOrder")
			h.call("orderAddNote", map[string]any{"orderId": req["orderId"], "orderNote": "This is a note!"})
		}},
		{name: "excludedTnList", setup: func(h *harness, req map[string]any) {
			req["orderId"] = bgOrder(h, "customerRef12345", map[string]any{"tn": "7278482111"})
		}},
		{name: "excludedTnList-none"},
		{name: "excludedFeatureList", setup: func(h *harness, req map[string]any) {
			elko := firstAvailableIn(t, h, "ELKO")
			req["orderId"] = bgOrder(h, "customerRef12345", map[string]any{"tn": elko, "portOutPin": "1234",
				"tnFeature": map[string]any{"directoryListing": map[string]any{"lastName": "Fuzz"}}})
		}},
		{name: "excludedFeatureList-none"},
		{name: "excludedE911Detail", setup: func(h *harness, req map[string]any) {
			tn := h.srv.AvailableTNs(200)[150]
			req["orderId"] = bgOrder(h, "customerRef12345", map[string]any{"tn": tn, "tnFeature": map[string]any{"e911": map[string]any{
				"name": "James Holden", "origStreetNum": "550", "origStreetInfo": "Adams", "origLocation": "9th floor",
				"origCity": "Chicago", "origState": "IL", "origPostalCode": "00000", "origPostalCodePlusFour": "3665"}}})
		}},
		{name: "excludedE911Detail-none"},
		{name: "orderCancel", setup: func(h *harness, req map[string]any) { req["orderId"] = bgOrder(h, "customerRef12345") }},
		{name: "orderAddNote", setup: func(h *harness, req map[string]any) { req["orderId"] = bgOrder(h, "") }},
		{name: "orderNote", setup: func(h *harness, req map[string]any) {
			req["orderId"] = bgOrder(h, "customerRef12345")
			h.call("orderAddNote", map[string]any{"orderId": req["orderId"], "orderNote": "This is a note!"})
		}},
		{name: "healthCheck"},
		// reference and report (ops_reference.go)
		{name: "rateCenterCoverage"},
		{name: "lataInventory"},
		{name: "tnFeatureCnamDip"},
		{name: "ticketList"},
		{name: "ticketDetail"},
		{name: "ticketNote"},
		{name: "accountDefaultDetail"},
		{name: "switchLocationList"},
		{name: "dtmfRelayList"},
		{name: "customerLocationList"},
		{name: "voiceScriptDetail-1"},
		{name: "voiceScriptDetail-2-all"},
		{name: "voiceScript-1-tn"},
		{name: "voiceScript-2-domain"},
		{name: "voiceScript-3-too-many"},
		{name: "voiceScript-4-remove", setup: func(h *harness, _ map[string]any) {
			addScript(h, map[string]any{"tn": "3123752629", "script": "<script/>", "direction": "inbound"})
			addScript(h, map[string]any{"tn": "3123752699", "script": "<script/>", "direction": "outbound"})
		}},
		{name: "voiceScript-5-enable", setup: func(h *harness, _ map[string]any) {
			addScript(h, map[string]any{"domain": "asdj.asdf1.oiuiu.zup", "script": "<script/>", "enabled": false})
		}},
		{name: "voiceScript-6-disable", setup: func(h *harness, _ map[string]any) {
			addScript(h, map[string]any{"domain": "asdj.asdf1.oiuu.zup", "script": "<script/>"})
		}},
		// port-out (ops_portout.go)
		{name: "portOutApproval"},
		{name: "tnPortOutReject"},
		{name: "tnPortOutHistory"},
		{name: "addressValidate-1-valid"},
		{name: "addressValidate-2-corrected"},
		{name: "addressValidate-3-invalid"},
		{name: "trunkGroupUpdate"},
		{name: "routingLabelUpdate"},
		{name: "trunkGroupOrderList", setup: func(_ *harness, req map[string]any) { req["orderId"] = 1497277 }},
		{name: "trunkGroupOrderDetail", setup: func(_ *harness, req map[string]any) { req["orderId"] = 1497293 }},
		{name: "accountDefault"},
		{name: "ticketCreate"},
		{name: "ticketAddNote"},
		{name: "ticketAddDocument", setup: func(_ *harness, req map[string]any) { req["troubleTicketId"] = 65842 }},
		{name: "ticketDocument", setup: func(h *harness, req map[string]any) {
			req["troubleTicketId"] = 65842
			out := h.call("ticketAddDocument", map[string]any{"troubleTicketId": 65842, "documentName": "TestDoc02", "fileContent": "VGhpcyBpcyBhIHRlc3QgZG9j", "isPublic": "true"})
			require.Equal(h.t, "200", code(out), "%v", out)
		}},
		// The example's trunk group is the account's first, renamed.
		{name: "tnRequest", setup: func(h *harness, _ map[string]any) {
			require.Equal(h.t, "200", code(h.call("trunkGroupUpdate", map[string]any{"trunkGroupNameCurrent": "CHCGIL24CL1_897", "trunkGroupNameNew": "Main Trunk Group"})))
		}},
		// international lookups (intl.go)
		{name: "intlCountryList"},
		{name: "intlAreaCodeInfo"},
		{name: "intlNumberTypes"},
		{name: "intlRoutingOptionList"},
	}
	for _, c := range intlGuideCases() { // intl_test.go
		cases = append(cases, struct {
			name  string
			opts  Options
			setup func(h *harness, req map[string]any)
		}{name: c.name, setup: c.setup})
	}
	files, err := filepath.Glob("testdata/guide/*.response.json")
	require.NoError(t, err)
	require.Len(t, files, len(cases), "every example answer in testdata/guide has a case")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			want := readJSON(t, filepath.Join("testdata/guide", tc.name+".response.json"))
			var got map[string]any
			if tc.name == "healthCheck" {
				req, err := http.NewRequest(http.MethodGet, h.ts.URL+"/HealthChecker/1.0.0/healthCheck", nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", "Bearer "+h.token)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
			} else {
				req := readJSON(t, filepath.Join("testdata/guide", tc.name+".request.json"))
				req["privateKey"] = DemoKey // the guide's keys are OCR variants of one sample
				if tc.setup != nil {
					tc.setup(h, req)
				}
				body, err := json.Marshal(req)
				require.NoError(t, err)
				path := "/Services/1.0.0/" + strings.SplitN(tc.name, "-", 2)[0]
				if strings.HasPrefix(tc.name, "clientmgmt-") {
					path = "/ClientMgmt/1.0.0/" + strings.TrimPrefix(tc.name, "clientmgmt-")
				}
				status, out := h.raw(path, "Bearer "+h.token, body)
				require.Equal(t, http.StatusOK, status)
				got = out
			}
			assert.Equal(t, fmt.Sprint(want["statusCode"]), fmt.Sprint(got["statusCode"]), "%v", got)
			wantPaths, gotPaths := map[string]bool{}, map[string]bool{}
			keyPaths(want, "", wantPaths)
			keyPaths(got, "", gotPaths)
			var missing []string
			for p := range wantPaths {
				if !gotPaths[p] {
					missing = append(missing, p)
				}
			}
			sort.Strings(missing)
			assert.Empty(t, missing, "key paths of the guide's answer missing from the sandbox's")
		})
	}
}
