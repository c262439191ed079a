package inteliquent

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminReads: getClientList goes to ClientMgmt and keeps nothing of a
// key but its last four characters (and nothing of the secret); the trunk
// group order reads send the guide's example and decode its answers.
func TestAdminReads(t *testing.T) {
	env := newEnv(t)
	_, err := env.c.GetClientList(context.Background())
	require.NoError(t, err)
	reqs := env.api.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/ClientMgmt/1.0.0/getClientList", reqs[0].Path)
	want, err := os.ReadFile(filepath.Join("testdata", "requests", "getClientList.json"))
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(reqs[0].Body))

	b, err := os.ReadFile(filepath.Join("..", "sandbox", "testdata", "guide", "clientmgmt-getClientList.response.json"))
	require.NoError(t, err)
	var cl GetClientListResponse
	require.NoError(t, json.Unmarshal(b, &cl))
	require.Len(t, cl.CompanyKeyDetails.ClientKeys, 2)
	k := cl.CompanyKeyDetails.ClientKeys[1]
	assert.Equal(t, ClientKey{PrivateKey: "i1y3", KeyName: "Key New Names", IsPrimary: "true", CreatedDate: "2019-12-16T17:00:12.352Z", UpdatedAt: "2019-12-16T19:46:40.569Z"}, k)
	assert.NotContains(t, fmt.Sprintf("%+v", cl), "XuKu47", "no more than the key's tail is kept")
	assert.NotContains(t, fmt.Sprintf("%+v", cl), "Sm0Z711", "the secret is not kept")

	for _, op := range []string{OpTrunkGroupOrderList, OpTrunkGroupOrderDetail} {
		env := newEnv(t)
		var err error
		if op == OpTrunkGroupOrderList {
			_, err = env.c.TrunkGroupOrderList(context.Background(), &TrunkGroupOrderRequest{OrderID: 1458836})
		} else {
			_, err = env.c.TrunkGroupOrderDetail(context.Background(), &TrunkGroupOrderRequest{OrderID: 1458836})
		}
		require.NoError(t, err)
		checkRequestGolden(t, env, op, op)
		assert.False(t, IsStateChanging(op), op)
	}
	b, err = os.ReadFile(filepath.Join("..", "sandbox", "testdata", "guide", "trunkGroupOrderDetail.response.json"))
	require.NoError(t, err)
	var d TrunkGroupOrderDetailResponse
	require.NoError(t, json.Unmarshal(b, &d))
	od := d.TrunkGroupOrderDetail
	assert.Equal(t, FlexString("1497293"), od.Fields["orderId"])
	assert.Equal(t, FlexString("ATLNGAQS08T_266"), od.Fields["trunkGroupName"])
	assert.Equal(t, []SipSignaling{{IPAddress: "192.168.251.6", Port: "5060", Direction: "Both"}}, od.CustomerSipSignalingList.CustomerSipSignalingItem)
	assert.Len(t, od.CodecList.CodecItem, 5)
	assert.Equal(t, "N", od.TrunkGroupFeature.E911Enabled)
	_, nested := od.Fields["codecList"]
	assert.False(t, nested, "nested objects are not scalar fields")
}
