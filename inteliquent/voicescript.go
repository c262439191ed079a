package inteliquent

import "context"

// OpVoiceScript adds, changes, enables, disables or removes a Voice
// Platform script on a number or a domain (the guide's "Manage Voice Script
// Settings", POST /voiceScript). It sets a state: sending the same setting
// again leaves the same script, so it is idempotent (a removal sent again
// answers 417, no script found, which the voice-script kind reads as done).
const OpVoiceScript = "voiceScript"

// VoiceScriptItem is one entry of a voiceScript request: a tn or a domain,
// and what to set. Enabled and CustomerDefault are booleans the guide
// defaults (true, false); nil leaves them out.
type VoiceScriptItem struct {
	TN              TN     `json:"tn,omitempty"`
	Domain          string `json:"domain,omitempty"`
	Script          string `json:"script,omitempty"`
	Enabled         *bool  `json:"enabled,omitempty"`
	CustomerDefault *bool  `json:"customerDefault,omitempty"`
	Direction       string `json:"direction,omitempty"`
}

// VoiceScriptRequest is POST /voiceScript. An add carries one item; a
// removal (RemoveScript "Y", at the top level as the guide's example 4 puts
// it) may carry many numbers, each with its direction.
type VoiceScriptRequest struct {
	VoiceScript  []VoiceScriptItem `json:"voiceScript"`
	RemoveScript string            `json:"removeScript,omitempty"`
}

// VoiceScript sets or removes scripts. The answer lists the scripts as set
// (a removal answers status and statusCode only).
func (c *Client) VoiceScript(ctx context.Context, req *VoiceScriptRequest) (*VoiceScriptDetailResponse, error) {
	return call[VoiceScriptDetailResponse](ctx, c, OpVoiceScript, req)
}
