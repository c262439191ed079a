package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validE911 is a complete, valid e911 group (guide 3276-3285).
func validE911() map[string]any {
	return map[string]any{"name": "James Holden", "origStreetNum": "550", "origStreetInfo": "W Adams St",
		"origCity": "Chicago", "origState": "IL", "origPostalCode": "60661"}
}

func copyMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestGuideLimitsTables walks every row of the guide's Character Limits
// table and the allowed-value lists: one character over the limit (or a
// value not allowed) is refused with 414 "Invalid value entered for:
// <field>" and changes nothing; at the limit the request is accepted.
func TestGuideLimitsTables(t *testing.T) {
	h := newHarness(t, Options{})
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)

	// send builds a request of op with value v in field of the group.
	type sender func(field, v string) map[string]any
	tnOrder := func(group string, base map[string]any) sender {
		return func(field, v string) map[string]any {
			tn := h.srv.AvailableTNs(1)[0]
			g := copyMap(base)
			g[field] = v
			item := map[string]any{"tn": tn}
			if group == "endUser" {
				item["endUser"] = g
			} else {
				item["tnFeature"] = map[string]any{group: g}
			}
			return h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"customerOrderReference": "lim-" + tn,
				"tnList": map[string]any{"tnItem": []any{item}}}})
		}
	}
	portIn := func(field, v string) map[string]any {
		tn := h.srv.PortableTNs(1)[0]
		it := portReqItem(tn, "33124")
		it[field] = v
		return h.call("portInOrder", portBody("lim-"+tn, due, "N", it))
	}
	tnE911 := func(field, v string) map[string]any {
		req := map[string]any{"tn": "3123488244", "name": "James Holden", "streetNum": "550", "streetInfo": "W Adams St",
			"city": "Chicago", "state": "IL", "postalCode": "60661"}
		req[field] = v
		return h.call("tnE911", req)
	}
	tests := []struct {
		group  string
		limits []guideLimit
		send   sender
	}{
		{"endUser", endUserLimits, tnOrder("endUser", map[string]any{"name": "Acme"})},
		{"callerId", callerIDLimits, tnOrder("callerId", map[string]any{"callingName": "ACME"})},
		{"directoryListing", dlLimits, tnOrder("directoryListing", map[string]any{"lastName": "Acme"})},
		{"e911", e911Limits, tnOrder("e911", validE911())},
		{"messaging", messagingLimits, tnOrder("messaging", map[string]any{"messageClass": "P2P", "messageType": "SMS"})},
		{"portIn", portInLimits, portIn},
		{"tnE911", tnE911Limits, tnE911},
	}
	for _, tc := range tests {
		for _, l := range tc.limits {
			t.Run(fmt.Sprintf("%s.%s guide line %d", tc.group, l.field, l.line), func(t *testing.T) {
				require.Positive(t, l.line)
				if l.max > 0 {
					over := tc.send(l.field, strings.Repeat("7", l.max+1))
					assert.Equal(t, "414", code(over), "%v", over)
					assert.Equal(t, "Invalid value entered for: "+l.field, over["status"])
					atLimit := strings.Repeat("7", l.max)
					if l.field == "authDate" {
						atLimit = "2015-12-15" // its format, guide 13311
					}
					at := tc.send(l.field, atLimit)
					assert.NotEqual(t, "Invalid value entered for: "+l.field, at["status"], "at the limit: %v", at)
				}
				if l.values != nil {
					bad := tc.send(l.field, "BOGUS")
					assert.Equal(t, "414", code(bad), "%v", bad)
					assert.Equal(t, "Invalid value entered for: "+l.field, bad["status"])
					for _, v := range l.values {
						ok := tc.send(l.field, strings.ToLower(v))
						assert.NotEqual(t, "Invalid value entered for: "+l.field, ok["status"], "%q is allowed: %v", v, ok)
					}
				}
			})
		}
	}
	before := len(h.srv.Audit())
	for _, e := range h.srv.Audit()[:before] {
		if e.StatusCode == "414" {
			assert.False(t, e.Applied, "a refused request changes nothing: %+v", e)
		}
	}
}

// TestGuideRequiredRules: the "one of these is required" rules.
func TestGuideRequiredRules(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 20_000})
	tn := h.srv.AvailableTNs(1)[0]
	order := func(feature map[string]any) map[string]any {
		item := map[string]any{"tn": tn, "tnFeature": feature}
		return h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"tnList": map[string]any{"tnItem": []any{item}}}})
	}
	tests := []struct {
		name   string
		call   func() map[string]any
		code   string
		status string
		line   int
	}{
		{"tnInventory without tnMask or tnWildcard", func() map[string]any { return h.call("tnInventory", map[string]any{"quantity": 5}) },
			"414", "Fields Are Required:tnMask", 811},
		{"tnInventory with tnWildcard only", func() map[string]any {
			return h.call("tnInventory", map[string]any{"tnWildcard": "201*", "quantity": 1})
		},
			"200", "Success", 848},
		{"e911 without origCity", func() map[string]any {
			e := validE911()
			delete(e, "origCity")
			return order(map[string]any{"e911": e})
		}, "414", "Fields Are Required:origCity", 1665},
		{"messaging without messageType", func() map[string]any {
			return order(map[string]any{"messaging": map[string]any{"messageClass": "P2P"}})
		},
			"414", "Fields Are Required:messageType", 1667},
		{"messageClass BOGUS", func() map[string]any {
			return order(map[string]any{"messaging": map[string]any{"messageClass": "BOGUS", "messageType": "SMS"}})
		}, "414", "Invalid value entered for: messageClass", 1659},
		{"a 40-character end-user name", func() map[string]any {
			item := map[string]any{"tn": tn, "endUser": map[string]any{"name": strings.Repeat("N", 40)}}
			return h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"tnList": map[string]any{"tnItem": []any{item}}}})
		}, "414", "Invalid value entered for: name", 13313},
		{"orderDetail without orderId or customerOrderReference", func() map[string]any { return h.call("orderDetail", map[string]any{}) },
			"414", "Fields Are Required:orderId", 9832},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s (guide %d)", tc.name, tc.line), func(t *testing.T) {
			out := tc.call()
			assert.Equal(t, tc.code, code(out), "%v", out)
			assert.Equal(t, tc.status, out["status"])
		})
	}
	assert.Empty(t, assignedStatusOf(h, []string{tn}), "nothing was ordered")
}

// A tnSearchItem that is a tnMask alone takes the fast path (no map per
// item) and answers as the general one does: an empty mask is required, a
// malformed one invalid, a good one found; mixed with another item, the
// same.
func TestTnDetailMaskOnlyItems(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(2)
	order := map[string]any{"tnOrder": map[string]any{"tnList": map[string]any{"tnItem": []any{map[string]any{"tn": tns[0]}, map[string]any{"tn": tns[1]}}}}}
	require.Equal(t, "200", fmt.Sprint(h.call("tnOrder", order)["statusCode"]))
	detail := func(items ...any) map[string]any {
		return h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": items}})
	}
	mask := func(m string) map[string]any { return map[string]any{"tnMask": m} }
	for _, items := range [][]any{{mask(tns[0]), mask(" ")}, {mask(tns[0]), map[string]any{"tnMask": "", "tnNote": "x"}}} {
		got := detail(items...)
		assert.Equal(t, "414", fmt.Sprint(got["statusCode"]), "%v", items)
		assert.Equal(t, "Fields Are Required:tnMask", got["status"])
	}
	got := detail(mask(tns[0]), mask("31255x"))
	assert.Equal(t, "Invalid value entered for: tnMask", got["status"])
	for _, items := range [][]any{{mask(tns[0]), mask(tns[1])}, {mask(tns[0]), map[string]any{"tnMask": tns[1], "tnStatus": "INSVC"}}} {
		got := detail(items...)
		require.Equal(t, "200", fmt.Sprint(got["statusCode"]), "%v", got)
		list := got["tnList"].(map[string]any)["tnItem"].([]any)
		assert.Len(t, list, 2, "%v", items)
	}
}
