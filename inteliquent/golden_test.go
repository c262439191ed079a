package inteliquent

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGuideExamples decodes every example answer of the guide (copied under
// testdata/guide; malformed ones minimally fixed, see docs/api-quirks.md)
// with the client's own types and checks key fields.
func TestGuideExamples(t *testing.T) {
	decode := func(t *testing.T, name string, v any) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "guide", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v), name)
	}
	tests := []struct {
		file  string
		check func(t *testing.T, file string)
	}{
		{"tnOrder.json", func(t *testing.T, f string) {
			var r TnOrderResponse
			decode(t, f, &r)
			assert.Equal(t, "200", r.StatusCode.String())
			assert.True(t, r.OrderID.IsZero(), `"null" orderId decodes empty`)
			st := r.TNStatus()
			require.True(t, st.Parsed)
			require.Len(t, st.Entries, 1)
			assert.Equal(t, TNStatusEntry{Key: "2", TN: "6123453624", Reason: "TN is on an existing order"}, st.Entries[0])
		}},
		{"tnInventory.json", func(t *testing.T, f string) {
			var r TnInventoryResponse
			decode(t, f, &r)
			require.Len(t, r.TnResult, 2)
			assert.Equal(t, TN("3184074100"), r.TnResult[0].TelephoneNumber)
			assert.Equal(t, "Tier 0", r.TnResult[0].RateCenterTier.String())
			assert.Equal(t, FlexInt{N: 1, Valid: true}, r.Page)
			assert.Equal(t, int64(117), r.TotalPages.N)
			assert.Equal(t, int64(233), r.TotalItems.N)
			assert.True(t, len(r.SearchID) > 100)
		}},
		{"tnReserve_success.json", func(t *testing.T, f string) {
			var r TnReserveResponse
			decode(t, f, &r)
			assert.Equal(t, 5, r.TnReserveResponse.ReservedTnCount.Int())
		}},
		{"tnReserve_partial.json", func(t *testing.T, f string) {
			var r TnReserveResponse
			decode(t, f, &r)
			assert.Equal(t, 3, r.TnReserveResponse.ReservedTnCount.Int())
			assert.Equal(t, []TnItemRef{{"2015540013"}, {"2015540300"}}, r.TnReserveResponse.ExcludedTnList)
		}},
		{"tnReserve_431.json", func(t *testing.T, f string) {
			var r Envelope
			decode(t, f, &r)
			assert.Equal(t, "431", r.StatusCode.String())
		}},
		{"tnRelease_success.json", func(t *testing.T, f string) {
			var r TnReleaseResponse
			decode(t, f, &r)
			assert.Equal(t, 5, r.TnReleaseResponse.ReleasedTnCount.Int())
		}},
		{"tnRelease_excluded.json", func(t *testing.T, f string) {
			var r TnReleaseResponse
			decode(t, f, &r)
			assert.Equal(t, []TnItemRef{{"1234567890"}}, r.TnReleaseResponse.ExcludedTnList)
		}},
		{"tnReservedList.json", func(t *testing.T, f string) {
			var r TnReservedListResponse
			decode(t, f, &r)
			require.Len(t, r.ReservedTns, 3)
			assert.Equal(t, TN("2013351239"), r.ReservedTns[2].TelephoneNumber)
			assert.Equal(t, "Y", r.ReservedTns[0].AllowPortOutPin)
		}},
		{"tnReservedList_430.json", func(t *testing.T, f string) {
			var r TnReservedListResponse
			decode(t, f, &r)
			assert.Equal(t, "430", r.StatusCode.String())
			assert.Empty(t, r.ReservedTns)
		}},
		{"tnInventoryCoverage.json", func(t *testing.T, f string) {
			var r TnInventoryCoverageResponse
			decode(t, f, &r)
			require.Len(t, r.TnInventoryCoverageList, 3)
			assert.Equal(t, 9972, r.TnInventoryCoverageList[1].Count.Int())
		}},
		{"tnInventoryCoverage_rateCenter.json", func(t *testing.T, f string) {
			var r TnInventoryCoverageResponse
			decode(t, f, &r)
			require.Len(t, r.TnInventoryCoverageList, 3)
			assert.Equal(t, " SAN PEDRO ", r.TnInventoryCoverageList[0].RcAbbre)
		}},
		{"tnInventoryCoverage_414.json", func(t *testing.T, f string) {
			var r Envelope
			decode(t, f, &r)
			assert.Equal(t, "414", r.StatusCode.String())
		}},
		{"tnAssignedList.json", func(t *testing.T, f string) {
			var r TnAssignedListResponse
			decode(t, f, &r)
			require.Len(t, r.TnBasicList.TnBasicItem, 4)
			assert.Equal(t, TnBasicItem{TN: "2013435559", TnStatus: "Pending Disconnect"}, r.TnBasicList.TnBasicItem[3])
		}},
		{"tnDetail.json", func(t *testing.T, f string) {
			var r TnDetailResponse
			decode(t, f, &r)
			require.Len(t, r.TnList.TnItem, 1)
			it := r.TnList.TnItem[0]
			assert.Equal(t, TN("2012151499"), it.TN)
			assert.Equal(t, "N", it.TnFeature.CallerID.CnamDip)
			assert.Equal(t, "NATIVE", it.TnSource)
			assert.Equal(t, 1, r.TotalPages.Int())
		}},
		{"tnUpdate.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("1026471"), r.OrderID)
		}},
		{"tnFeatureOrder.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("1026472"), r.OrderID)
			assert.True(t, r.TNStatus().OK)
		}},
		{"tnDisconnect.json", func(t *testing.T, f string) {
			var r OrderResponse
			decode(t, f, &r)
			assert.Equal(t, OrderID("1026473"), r.OrderID)
		}},
		{"portOutPinUpdate.json", func(t *testing.T, f string) {
			var r StatusResponse
			decode(t, f, &r)
			assert.Equal(t, "Success", r.Status)
		}},
		{"tnNoteUpdate.json", func(t *testing.T, f string) {
			var r StatusResponse
			decode(t, f, &r)
			assert.Equal(t, "200", r.StatusCode.String())
		}},
		{"orderList.json", func(t *testing.T, f string) {
			var r OrderListResponse
			decode(t, f, &r)
			assert.Equal(t, "200", r.StatusCode.String(), "numeric statusCode")
			require.Len(t, r.OrderList.OrderType, 1)
			o := r.OrderList.OrderType[0]
			assert.Equal(t, OrderID("1026470"), o.OrderID, "numeric orderId")
			assert.Equal(t, "TestOrder04", o.CustomerOrderReference)
			assert.Equal(t, 1, o.TnQuantity.Int())
			assert.Equal(t, FlexString("141213799652"), r.SearchID)
		}},
		{"orderDetail.json", func(t *testing.T, f string) {
			var r OrderDetailResponse
			decode(t, f, &r)
			d := r.OrderDetailResponse
			assert.Equal(t, OrderID("1054832"), d.OrderID)
			assert.Equal(t, "Pending", d.OrderStatus)
			require.Len(t, d.TnList.TnItem, 1)
			it := d.TnList.TnItem[0]
			assert.Equal(t, TN("7735162004"), it.TN)
			assert.Equal(t, "PIN required/invalid", it.TnStatus)
			assert.Equal(t, FlexString("123"), it.EndUser.StreetNum, "numeric streetNum")
			assert.Equal(t, FlexString("0001234"), it.AccountNum)
			require.Len(t, d.OrderNotes, 2)
		}},
		{"excludedTnList.json", func(t *testing.T, f string) {
			var r ExcludedTnListResponse
			decode(t, f, &r)
			require.Len(t, r.ExcludedTnList.ExcludedTnItem, 2)
			assert.Equal(t, TN("7278482111"), r.ExcludedTnList.ExcludedTnItem[0].TN)
			assert.Equal(t, OrderID("1054832"), r.ExcludedTnList.ExcludedTnItem[0].OrderID)
			assert.Equal(t, "TN is already assigned to this customer", r.ExcludedTnList.ExcludedTnItem[1].ExcludedReason)
		}},
		{"excludedFeatureList.json", func(t *testing.T, f string) {
			var r ExcludedFeatureListResponse
			decode(t, f, &r)
			require.Len(t, r.ExcludedFeatureList.ExcludedFeatureItem, 3)
			assert.Equal(t, "E911 is not supported", r.ExcludedFeatureList.ExcludedFeatureItem[1].ExcludedReason)
		}},
		{"excludedE911Detail.json", func(t *testing.T, f string) {
			var r ExcludedE911DetailResponse
			decode(t, f, &r)
			items := r.ExcludedE911Detail.ExcludedFeatureItem
			require.Len(t, items, 2)
			assert.Equal(t, TN("3123488244"), items[0].TN)
			assert.Equal(t, []string{"The address given could not be validated.", "Please verify that the provided address is correct.",
				"Multiple addresses found (may be missing pre-directional)"}, items[0].Reasons())
		}},
		{"excludedTnList_430.json", check430},
		{"excludedFeatureList_430.json", check430},
		{"excludedE911Detail_430.json", check430},
		{"orderCancel.json", func(t *testing.T, f string) {
			var r StatusResponse
			decode(t, f, &r)
			assert.Equal(t, "Success", r.Status)
		}},
		{"orderAddNote.json", func(t *testing.T, f string) {
			var r OrderAddNoteResponse
			decode(t, f, &r)
			assert.Equal(t, FlexString("29984646"), r.NoteID)
			assert.Equal(t, "200", r.StatusCode.String())
		}},
		{"orderNote.json", func(t *testing.T, f string) {
			var r OrderNoteResponse
			decode(t, f, &r)
			require.Len(t, r.OrderNote.OrderNoteType, 2)
			assert.Equal(t, FlexString("29984649"), r.OrderNote.OrderNoteType[1].NoteID)
		}},
		{"healthCheck.json", func(t *testing.T, f string) {
			var r HealthCheckResponse
			decode(t, f, &r)
			assert.True(t, r.Up())
		}},
		{"auth_401001.json", func(t *testing.T, f string) {
			var r Envelope
			decode(t, f, &r)
			assert.Equal(t, "401001", r.StatusCode.String())
			assert.Equal(t, "Invalid authentication information provided", r.Message)
		}},
		{"token.json", func(t *testing.T, f string) {
			var r tokenResponse
			decode(t, f, &r)
			assert.Equal(t, "a12b34567c89012def34g56789hi0j12", r.AccessToken)
			secs, err := strconv.ParseInt(string(r.ExpiresIn), 10, 64)
			require.NoError(t, err)
			assert.Greater(t, secs, int64(TokenLifetime/time.Second), "the example's expires_in is absurd")
			now := time.Now()
			assert.Equal(t, TokenLifetime, tokenLife(now.Add(time.Duration(math.MaxInt32)*time.Second), now),
				"the client caps it at one hour")
		}},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "guide", "*.json"))
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

func check430(t *testing.T, f string) {
	b, err := os.ReadFile(filepath.Join("testdata", "guide", f))
	require.NoError(t, err)
	var r Envelope
	require.NoError(t, json.Unmarshal(b, &r))
	assert.Equal(t, "430", r.StatusCode.String())
	assert.Equal(t, "No Results found", r.Status)
}
