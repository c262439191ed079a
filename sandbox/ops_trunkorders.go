package sandbox

import (
	"encoding/json"
	"strings"
	"time"
)

// Trunk group orders (Beta in the guide): trunkGroupOrderList and
// trunkGroupOrderDetail read two fixed orders, the guide's examples; the
// sandbox does not place trunk group orders (trunkGroupOrder and
// changeTrunkGroupOrder answer 404).

var trunkGroupOrderScalars = []string{"orderId", "serviceType", "inteliquentSwitchLocation", "orderType", "orderStatus", "customerOrderReference",
	"createdUser", "createdDate", "desiredDueDate", "customerTrunkGroupName", "trunkGroupName", "twoSixCode", "inteliquentLocation", "customerLocation",
	"inteliquentTrunkGroupNumber", "customerTrunkGroupNumber", "sipManagementType", "customerSwitchDescription", "signallingType", "trafficClassType",
	"inteliquentClassType", "customerClassType", "trafficUseType", "trunkModifierType", "inteliquentSignallingType", "customerSignallingType",
	"accessType", "sessionCountForecast", "sipOption", "useBillingTaxLocation", "addressLine1", "addressLine2", "city", "state", "postalCode",
	"country", "fqdnResolutionType", "pendingSessionCount", "activeSessionCount"}

// trunkGroupOrders are the account's trunk group orders.
func trunkGroupOrders() []map[string]any {
	codec := func(name string, prio int, fax, modem, dtmf string) map[string]any {
		return map[string]any{"codec": name, "packetSize": 20, "priority": prio, "faxToneTreatment": fax, "modemToneTreatment": modem,
			"dtmfRelay": dtmf, "silentSuppression": "N", "percentage": 100}
	}
	base := func(id int, loc, created, user, custName, tg, twoSix, site, num, desc, mod, cls, fqdnType string, pending int) map[string]any {
		return map[string]any{"orderId": id, "serviceType": "Trunk Group", "inteliquentSwitchLocation": loc, "orderType": "Change", "orderStatus": "Pending",
			"customerOrderReference": "", "createdUser": user, "createdDate": created, "desiredDueDate": created, "customerTrunkGroupName": custName,
			"trunkGroupName": tg, "twoSixCode": twoSix, "inteliquentLocation": site, "customerLocation": site, "inteliquentTrunkGroupNumber": num,
			"customerTrunkGroupNumber": "", "sipManagementType": "Sessions", "customerSwitchDescription": desc, "signallingType": "SIP",
			"trafficClassType": "DN", "inteliquentClassType": cls, "customerClassType": cls, "trafficUseType": "IP (Administrative)",
			"trunkModifierType": mod, "inteliquentSignallingType": "-", "customerSignallingType": "-", "accessType": "Public",
			"sessionCountForecast": 0, "sipOption": "N", "useBillingTaxLocation": "Y", "addressLine1": "", "addressLine2": "", "city": "",
			"state": "", "postalCode": "", "country": "", "fqdnResolutionType": fqdnType, "pendingSessionCount": pending, "activeSessionCount": 100,
			"customerSipSignalingList": map[string]any{"customerSipSignalingItem": []any{map[string]any{"ipAddress": "192.168.251.6", "port": 5060, "direction": "Both"}}},
			"customerMediaList":        map[string]any{"customerMediaItem": []any{map[string]any{"ipAddress": "192.168.251.7"}}},
			"fqdnList":                 map[string]any{"fqdnItem": []any{map[string]any{"domainName": "ABC", "port": 1025}}},
			"codecList": map[string]any{"codecItem": []any{codec("G.711 A", 2, "None", "None", "None = INBAND"), codec("G.711 U", 1, "None", "None", "None = INBAND"),
				codec("G.722", 3, "None", "None", "None = INBAND"), codec("G.729 A", 4, "Fax Relay or Fallback to G.711", "Fallback to G.711", "2833"),
				codec("G.729 AB", 5, "Fax Relay or Fallback to G.711", "Fallback to G.711", "2833")}},
			"trunkGroupFeature":      map[string]any{"e911Enabled": "N"},
			"customerServiceAddress": map[string]any{"useBillingTaxLocation": "Y", "addressLine1": "", "addressLine2": "", "city": "", "state": "", "postalCode": "", "country": ""},
		}
	}
	return []map[string]any{
		base(1497277, "Chicago IL", "2019-02-13T00:00:00.000+0000", "api_user", "ABC Pretty Graph", "CHCGIL24IQT_9998", "IP022401", "CHCGIL2497T", "9998", "N/A", "CH-HCS", "7", "", -10),
		base(1497293, "Atlanta GA", "2019-02-20T00:00:00.000+0000", "Carney, Jeff ", "", "ATLNGAQS08T_266", "IP000166", "ATLNGAQS08T", "266", "SONUS", "CALEADID_OUT", "4", "A-Only", 1),
	}
}

func trunkOrderReq(raw []byte) (string, answer) {
	var req struct {
		OrderID flexString `json:"orderId"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return "", fail("414", "Invalid Request")
	}
	return strings.TrimSpace(string(req.OrderID)), nil
}

func (s *Server) trunkGroupOrderList(_ time.Time, raw []byte) answer {
	id, bad := trunkOrderReq(raw)
	if bad != nil {
		return bad
	}
	var out []map[string]any
	for _, o := range trunkGroupOrders() {
		if id != "" && id != itoa(o["orderId"].(int)) {
			continue
		}
		row := map[string]any{}
		for _, k := range trunkGroupOrderScalars {
			row[k] = o[k]
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return fail("430", "No results found")
	}
	return obj{success(), map[string]any{"trunkGroupOrderList": out}}
}

func (s *Server) trunkGroupOrderDetail(_ time.Time, raw []byte) answer {
	id, bad := trunkOrderReq(raw)
	if bad != nil {
		return bad
	}
	if id == "" {
		return fail("414", "Invalid Request")
	}
	for _, o := range trunkGroupOrders() {
		if id == itoa(o["orderId"].(int)) {
			return obj{success(), map[string]any{"trunkGroupOrderDetail": o}}
		}
	}
	return fail("430", "No results found")
}
