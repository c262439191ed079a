package inteliquent

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVoiceScript: the guide's example 4 (a removal of two numbers, each
// with its direction, removeScript at the top level) as the client sends
// it, and the operation's place in the table.
func TestVoiceScript(t *testing.T) {
	env := newEnv(t)
	_, err := env.c.VoiceScript(context.Background(), &VoiceScriptRequest{VoiceScript: []VoiceScriptItem{
		{TN: "3123752629", Direction: "inbound"}, {TN: "3123752699", Direction: "outbound"}}, RemoveScript: "Y"})
	require.NoError(t, err)
	checkRequestGolden(t, env, OpVoiceScript, OpVoiceScript)
	assert.True(t, IsStateChanging(OpVoiceScript))
	assert.True(t, IsIdempotent(OpVoiceScript), "a setting sent again leaves the same script")

	env = newEnv(t)
	off := false
	_, err = env.c.VoiceScript(context.Background(), &VoiceScriptRequest{VoiceScript: []VoiceScriptItem{{Domain: "asdj.asdf1.oiuu.zup", Enabled: &off}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"privateKey":"`+testKey+`","voiceScript":[{"domain":"asdj.asdf1.oiuu.zup","enabled":false}]}`, string(env.api.requests()[0].Body),
		"example 6: enabled false is sent, not dropped")
}
