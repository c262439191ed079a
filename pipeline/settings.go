package pipeline

import (
	"encoding/json"
	"fmt"
	"time"
)

// Connection holds the settings of a run's client: how fast and how
// patiently it talks to the API. The endpoint itself is recorded in the run
// (checkpoints.Run.Endpoint); credentials never are.
type Connection struct {
	Rate     float64       `json:"rate"`
	Burst    int           `json:"burst"`
	Retries  int           `json:"retries"`
	Timeout  time.Duration `json:"timeout"`
	Insecure bool          `json:"insecure"`
}

// Settings are every setting of a run, recorded in its checkpoint when the
// run is created and restored by resume and follow. It is one JSON object:
// the engine's Options (their fields inline), the connection, the
// follow-up, the manifest's encoding and the file to emit. A field added to
// any of these structs is recorded and restored with no other change,
// provided its JSON name is unique and it has no omitempty (a zero value
// must be recorded as such, or a resume would take the flag's default).
type Settings struct {
	Options
	Connection
	Follow       FollowOptions `json:"follow"`
	Encoding     string        `json:"encoding"`
	EmitManifest string        `json:"emitManifest"`
}

// settingsOf is what a run records: cfg.Settings with the engine options and
// follow options the engine actually runs with.
func settingsOf(cfg Config) Settings {
	s := cfg.Settings
	s.Options, s.Follow = cfg.Opts, cfg.Follow
	s.EmitManifest = cfg.EmitManifest
	return s
}

// ParseSettings reads settings recorded by a run. Keys the record lacks (a
// run recorded by an older iqbulk) keep the values already in into.
func ParseSettings(raw []byte, into *Settings) error {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("recorded settings: %w", err)
	}
	return nil
}
