package inteliquent

import (
	"context"
	"encoding/json"
)

// Log messages of the client that a run's report reads back from run.log
// to mark throttling and retries on its charts.
const (
	LogSlowDown = "the API asked to slow down; backing off"
	LogRetrying = "retrying"
)

// RedactedKey stands in for the privateKey in every request body a dry run
// hands to Config.OnDryRun.
const RedactedKey = "[REDACTED]"

// DryRunRequest is a state-changing request a dry run did not send: the
// operation, how many numbers it carries and its body exactly as do would
// have encoded it, with the privateKey replaced by RedactedKey.
type DryRunRequest struct {
	Op      string          `json:"op"`
	Numbers int             `json:"numbers"`
	Body    json.RawMessage `json:"body"`
}

// recordDryRun hands a skipped request to Config.OnDryRun. It encodes the
// body through the same encode as a real send, with a client whose key is
// RedactedKey, so the plan shows what would go out and never the key.
func (c *Client) recordDryRun(ctx context.Context, spec opSpec, req any, numbers int) {
	if c.onDryRun == nil {
		return
	}
	r := DryRunRequest{Op: spec.name, Numbers: numbers}
	if spec.method != "GET" {
		redacted := &Client{key: RedactedKey}
		body, err := redacted.encode(spec, req)
		if err != nil {
			body, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		r.Body = body
	}
	c.onDryRun(ctx, r)
}
