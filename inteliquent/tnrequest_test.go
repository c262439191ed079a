package inteliquent

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTnRequest: the guide's example request as the client sends it, its
// answer's orderId, and the operation's place in the table (a second
// request makes a second order: not idempotent).
func TestTnRequest(t *testing.T) {
	env := newEnv(t)
	_, err := env.c.TnRequest(context.Background(), &TnRequestRequest{CustomerOrderReference: "abcsdsd88246", State: "IL", Lata: "550",
		RateCenter: "WSHNGTNZN1", Npa: "312", Nxx: "348", Quantity: 10, TrunkGroup: "Main Trunk Group", Activate: "Y"})
	require.NoError(t, err)
	checkRequestGolden(t, env, OpTnRequest, OpTnRequest)

	b, err := os.ReadFile(filepath.Join("..", "sandbox", "testdata", "guide", "tnRequest.response.json"))
	require.NoError(t, err)
	var r OrderResponse
	require.NoError(t, json.Unmarshal(b, &r))
	assert.Equal(t, OrderID("3212323"), r.OrderID)

	assert.True(t, IsStateChanging(OpTnRequest))
	assert.False(t, IsIdempotent(OpTnRequest))
}
