package sandbox

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWildcardTranslationAndGlob(t *testing.T) {
	tests := []struct {
		wildcard string
		tn       uint64
		want     bool
	}{
		{"201335YZ*", 2013359900, true},
		{"201335YZ*", 2013358900, false},
		{"*Hello*", 3124355600, true}, // HELLO -> 43556
		{"*Hello*", 3124355500, false},
		{"312?Hi*7", 3125440007, true},
		{"312?Hi*7", 3125440008, false},
		{"??????????", 2012151499, true},
		{"?????????", 2012151499, false},
		{"abcdefghij", 2223334445, true},
		{"PQRSTUVWXY", 7777888999, true},
	}
	for _, tc := range tests {
		t.Run(tc.wildcard+"/"+strconv.FormatUint(tc.tn, 10), func(t *testing.T) {
			p, ok := parseWildcard(tc.wildcard)
			require.True(t, ok)
			assert.Equal(t, tc.want, p.match(tc.tn))
		})
	}
	for _, bad := range []string{"", "31#", "12-34"} {
		_, ok := parseWildcard(bad)
		assert.False(t, ok, bad)
	}
}

func TestMask(t *testing.T) {
	p, ok := parseMask("312xxx1x2x")
	require.True(t, ok)
	assert.True(t, p.match(3129991020))
	assert.False(t, p.match(3129992020))
	p, ok = parseMask("201335 X x")
	require.True(t, ok)
	assert.True(t, p.match(2013359090))
	for _, bad := range []string{"312", "312xxxxxxxx", "31a4567890"} {
		_, ok := parseMask(bad)
		assert.False(t, ok, bad)
	}
}

func TestWorldIsDeterministicAndSized(t *testing.T) {
	a, b := newWorld(7, 123_456), newWorld(7, 123_456)
	assert.Equal(t, a.blocks, b.blocks)
	total := 0
	for i := range a.blocks {
		bl := &a.blocks[i]
		n := 0
		for line := uint32(0); line < 10000; line++ {
			if bl.class(line) == lineAvailable {
				n++
			}
		}
		assert.Equal(t, int(bl.k), n, "block %d", bl.npanxx)
		total += n
	}
	assert.Equal(t, 123_456, total)
	c := newWorld(8, 123_456)
	assert.NotEqual(t, a.blocks, c.blocks)
}

func TestInventorySearch(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name  string
		body  map[string]any
		check func(t *testing.T, row map[string]any)
		min   int
	}{
		{"mask", map[string]any{"tnMask": "318407xxxx"}, func(t *testing.T, r map[string]any) {
			assert.True(t, strings.HasPrefix(r["telephoneNumber"].(string), "318407"))
			assert.Equal(t, "COLFAX", r["rateCenter"])
			assert.Equal(t, "Tier 0", r["rateCenterTier"])
		}, 100},
		{"wildcard", map[string]any{"tnWildcard": "201335YZ*"}, func(t *testing.T, r map[string]any) {
			assert.True(t, strings.HasPrefix(r["telephoneNumber"].(string), "20133599"))
		}, 100},
		{"lata", map[string]any{"tnMask": "xxxxxxxxxx", "lata": "486"}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "486", r["lata"])
		}, 100},
		{"rate center", map[string]any{"tnMask": "xxxxxxxxxx", "rateCenter": "oradell"}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "ORADELL", r["rateCenter"])
		}, 100},
		{"province and tier", map[string]any{"tnMask": "xxxxxxxxxx", "province": "IL", "rateCenterTier": "0"}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "IL", r["province"])
			assert.Equal(t, "Tier 0", r["rateCenterTier"])
		}, 100},
		{"city", map[string]any{"tnMask": "xxxxxxxxxx", "city": "Naperville", "province": "IL"}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "NAPERVILLE", r["city"])
		}, 100},
		{"postal code", map[string]any{"tnMask": "xxxxxxxxxx", "postalCode": "60564"}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "NAPERVILLE", r["rateCenter"])
		}, 100},
		{"local calling area", map[string]any{"tnMask": "201335xxxx", "province": "IL", "localCallingArea": true}, func(t *testing.T, r map[string]any) {
			assert.Equal(t, "224", r["lata"])
		}, 10},
		{"wireless", map[string]any{"tnMask": "xxxxxxxxxx", "wireless": "N"}, func(t *testing.T, r map[string]any) {
			assert.NotEqual(t, "7", r["telephoneNumber"].(string)[5:6])
		}, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := h.call("tnInventory", tc.body)
			require.Equal(t, "200", code(out), "%v", out)
			rows := list(out, "tnResult")
			require.GreaterOrEqual(t, len(rows), min(tc.min, 100))
			for _, r := range rows {
				tc.check(t, r.(map[string]any))
			}
			assert.NotEmpty(t, out["searchId"])
		})
	}
}

func TestInventoryQuantitySequentialAndSort(t *testing.T) {
	h := newHarness(t, Options{})
	out := h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "quantity": 7})
	assert.Len(t, list(out, "tnResult"), 7)
	assert.Equal(t, "7", out["totalItems"])

	out = h.call("tnInventory", map[string]any{"tnMask": "201335xxxx", "sequential": true, "quantity": 25})
	rows := list(out, "tnResult")
	require.Len(t, rows, 25)
	first, _ := strconv.Atoi(rows[0].(map[string]any)["telephoneNumber"].(string))
	for i, r := range rows {
		assert.Equal(t, strconv.Itoa(first+i), r.(map[string]any)["telephoneNumber"])
	}

	out = h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"property": "state", "direction": "desc", "size": 50, "page": 3}})
	rows = list(out, "tnResult")
	require.Len(t, rows, 50)
	assert.Equal(t, "3", out["page"])
	for i := 1; i < len(rows); i++ {
		assert.GreaterOrEqual(t, rows[i-1].(map[string]any)["province"], rows[i].(map[string]any)["province"])
	}
	total, _ := strconv.Atoi(out["totalItems"].(string))
	pages, _ := strconv.Atoi(out["totalPages"].(string))
	assert.Equal(t, (total+49)/50, pages)
}

func TestInventoryRuleErrors(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	for _, tc := range []struct {
		name string
		body map[string]any
	}{
		{"bad mask", map[string]any{"tnMask": "312"}},
		{"bad wildcard", map[string]any{"tnWildcard": "31#"}},
		{"exclusive locations", map[string]any{"tnMask": "xxxxxxxxxx", "rateCenter": "ORADELL", "postalCode": "60564"}},
		{"city without state", map[string]any{"tnMask": "xxxxxxxxxx", "city": "Naperville"}},
		{"radius without city", map[string]any{"tnMask": "xxxxxxxxxx", "radius": 10}},
		{"radius too big", map[string]any{"tnMask": "xxxxxxxxxx", "postalCode": "60564", "radius": 51}},
		{"radius and sequential", map[string]any{"tnMask": "xxxxxxxxxx", "postalCode": "60564", "radius": 5, "sequential": true}},
		{"local without anchor", map[string]any{"tnMask": "xxxxxxxxxx", "localCallingArea": true}},
		{"bad tier", map[string]any{"tnMask": "xxxxxxxxxx", "rateCenterTier": "9"}},
		{"bad property", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"property": "color"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := h.call("tnInventory", tc.body)
			assert.Equal(t, "414", code(out), "%v", out)
		})
	}
}

func TestInventoryScrollAndExpiry(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 25_000, ScrollTTL: time.Minute})
	out := h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"size": 10000}})
	require.Equal(t, "25000", out["totalItems"])
	require.Equal(t, "3", out["totalPages"])
	seen := map[string]bool{}
	add := func(out map[string]any) int {
		rows := list(out, "tnResult")
		for _, r := range rows {
			tn := r.(map[string]any)["telephoneNumber"].(string)
			require.False(t, seen[tn], "duplicate %s", tn)
			seen[tn] = true
		}
		return len(rows)
	}
	assert.Equal(t, 10000, add(out))
	id := out["searchId"].(string)
	out = h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": id}})
	assert.Equal(t, "2", out["page"])
	assert.Equal(t, 10000, add(out))
	out = h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"searchId": id, "size": 10000}})
	assert.Equal(t, 5000, add(out))
	out = h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": id}})
	assert.Equal(t, 0, add(out), "end of scroll is an empty page")
	assert.Len(t, seen, 25000)

	// TTL in real time, refreshed by use
	h.clock.Advance(2 * time.Minute)
	out = h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": id}})
	assert.Equal(t, "410", code(out))

	// forced expiry and unknown ids
	out = h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"size": 10000}})
	id = out["searchId"].(string)
	h.srv.ExpireScrolls()
	out = h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": id}})
	assert.Equal(t, "410", code(out))
	out = h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": "bogus"}})
	assert.Equal(t, "410", code(out))
	// a searchId with another size is not effective (guide): a new search
	out = h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"searchId": "bogus", "size": 2, "page": 1}})
	assert.Equal(t, "200", code(out))
	assert.Len(t, list(out, "tnResult"), 2)
}

func TestInventoryCoverage(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 50_000})
	out := h.call("tnInventoryCoverage", nil)
	rows := list(out, "tnInventoryCoverageList")
	require.NotEmpty(t, rows)
	sum := 0
	for _, r := range rows {
		n, _ := r.(map[string]any)["count"].(float64)
		sum += int(n)
	}
	assert.Equal(t, 50_000, sum)
	for _, by := range []string{"state", "rateCenter", "block", "npaNxx"} {
		out = h.call("tnInventoryCoverage", map[string]any{"countBy": by, "province": "NJ"})
		assert.Equal(t, "200", code(out), by)
		assert.NotEmpty(t, list(out, "tnInventoryCoverageList"), by)
	}
	out = h.call("tnInventoryCoverage", map[string]any{"countBy": "planet"})
	assert.Equal(t, "414", code(out))
	// ordering a number lowers the count
	tns := h.srv.AvailableTNs(3)
	before := h.call("tnInventoryCoverage", map[string]any{"countBy": "state"})
	require.Equal(t, "200", code(h.call("tnOrder", orderBody("", tns, nil))))
	after := h.call("tnInventoryCoverage", map[string]any{"countBy": "state"})
	assert.Equal(t, sumCounts(before)-3, sumCounts(after))
}

func sumCounts(out map[string]any) int {
	s := 0
	for _, r := range list(out, "tnInventoryCoverageList") {
		n, _ := r.(map[string]any)["count"].(float64)
		s += int(n)
	}
	return s
}

func TestReserveReleaseAndCap(t *testing.T) {
	h := newHarness(t, Options{ReservationLimit: 5})
	out := h.call("tnReservedList", nil)
	assert.Equal(t, "430", code(out))
	assert.Equal(t, "No Result Found", out["status"])

	tns := h.srv.AvailableTNs(6)
	res := func(tns ...string) map[string]any {
		return h.call("tnReserve", map[string]any{"tnReserve": map[string]any{"tnList": tnItems(tns, nil)}})
	}
	out = res(tns[0], tns[1], tns[2], "5555550100")
	require.Equal(t, "200", code(out))
	assert.EqualValues(t, 4, dig(out, "tnReserveResponse", "totalTnCount"))
	assert.EqualValues(t, 3, dig(out, "tnReserveResponse", "reservedTnCount"))
	assert.Equal(t, "5555550100", dig(list(out, "tnReserveResponse", "excludedTnList")[0], "tn"))

	out = h.call("tnReservedList", nil)
	require.Len(t, list(out, "reservedTns"), 3)

	// reserved numbers leave the inventory
	inv := h.call("tnInventory", map[string]any{"tnMask": tns[0]})
	assert.Equal(t, "0", inv["totalItems"])

	out = res(tns[3], tns[4], tns[5]) // 3+3 > 5
	assert.Equal(t, "431", code(out))
	assert.Equal(t, "Request exceeds the maximum number of reserved TNs", out["status"])

	out = h.call("tnRelease", map[string]any{"tnRelease": map[string]any{"tnList": tnItems([]string{tns[0], tns[5]}, nil)}})
	assert.EqualValues(t, 1, dig(out, "tnReleaseResponse", "releasedTnCount"))
	assert.Len(t, list(out, "tnReleaseResponse", "excludedTnList"), 1)

	// the hold lasts four hours of simulated time
	h.clock.Advance(4*time.Hour + time.Second)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	out = h.call("tnReservedList", nil)
	assert.Equal(t, "430", code(out))
	out = res(tns[3], tns[4], tns[5])
	assert.EqualValues(t, 3, dig(out, "tnReserveResponse", "reservedTnCount"))
}

func TestAvailableTNsGivesAsManyAsAsked(t *testing.T) {
	srv, err := New(Options{})
	require.NoError(t, err)
	defer srv.Close()
	for _, n := range []int{1, 1000, 20000, 100000} {
		got := srv.AvailableTNs(n)
		require.Len(t, got, n)
		seen := map[string]bool{}
		for _, tn := range got {
			require.False(t, seen[tn], "%s twice", tn)
			seen[tn] = true
		}
	}
}
