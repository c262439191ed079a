package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// voiceScriptJob manages Voice Platform scripts (the guide's "Manage Voice
// Script Settings", POST /voiceScript), one number or domain per request:
// voice-script adds or replaces a script, enables or disables it, or makes
// it the customer default; voice-script-remove removes it (destructive).
// A script is a setting, so sending it again leaves the same state
// (idempotent); a removal sent again after its answer was lost answers 417
// "No voice scripts found", which is read as done. Undo puts the script the
// number or domain had back (voiceScriptDetail before the run), or removes
// the one the run added.
type voiceScriptJob struct{ remove bool }

// voiceScriptMax is the guide's "422: Script is too large. Max limit is
// 42,000 characters".
const voiceScriptMax = 42000

func (j voiceScriptJob) Spec() Spec {
	target := []Column{
		col("tn", false, "ten-digit number the script is for (tn or domain)", "3123752699", "telephone number", "number"),
		col("domain", false, "domain the script is for (tn or domain)", "", "sip domain"),
	}
	if j.remove {
		return Spec{
			Name:        "voice-script-remove",
			Summary:     "remove Voice Platform scripts from numbers or domains (voiceScript with removeScript=Y)",
			Operations:  []string{inteliquent.OpVoiceScript, inteliquent.OpVoiceScriptDetail},
			Columns:     append(target, col("direction", true, "inbound or outbound: the script to remove", "inbound")),
			Destructive: true,
			BatchSize:   1,
		}
	}
	return Spec{
		Name:       "voice-script",
		Summary:    "add or replace Voice Platform scripts on numbers or domains, enable or disable them (voiceScript)",
		Operations: []string{inteliquent.OpVoiceScript, inteliquent.OpVoiceScriptDetail},
		Columns: append(target,
			col("direction", false, "inbound (the default) or outbound", "inbound"),
			col("script", false, "the script (at most 42,000 characters); empty to only enable, disable or make default", "<script><head/><body><dial caller='{CALLER}' number='sip:172.31.42.248:5060'/></body></script>"),
			col("enabled", false, "Y or N: the script is on (default Y for a new script)", "Y"),
			col("customer_default", false, "Y makes it the account's default script for its direction", "N", "customerdefault", "customer default", "default"),
		),
		BatchSize: 1,
	}
}

// validDomain accepts letters, digits, hyphens and dots, with a dot.
func validDomain(s string) bool {
	return strings.Contains(s, ".") && !strings.ContainsFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')
	})
}

func (j voiceScriptJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	f := map[string]string{
		"tn":        check(r, "tn", &errs, readers.TN),
		"domain":    strings.ToLower(strings.TrimSpace(r.Get("domain"))),
		"direction": check(r, "direction", &errs, readers.OneOf("inbound", "outbound")),
	}
	switch {
	case f["tn"] == "" && f["domain"] == "" && r.Get("tn") == "":
		bad("tn", "", "tn or domain is required")
	case f["tn"] != "" && f["domain"] != "":
		bad("domain", f["domain"], "give tn or domain, not both")
	case f["domain"] != "" && !validDomain(f["domain"]):
		bad("domain", f["domain"], "is not a domain name")
	}
	if j.remove {
		if f["direction"] == "" && r.Get("direction") == "" {
			bad("direction", "", "is required to remove a script (the guide: the direction must be specified)")
		}
	} else {
		f["script"] = r.Get("script")
		f["enabled"] = check(r, "enabled", &errs, readers.YN)
		f["customer_default"] = check(r, "customer_default", &errs, readers.YN)
		if n := len([]rune(f["script"])); n > voiceScriptMax {
			bad("script", fmt.Sprintf("(%d characters)", n), fmt.Sprintf("is %d characters, the limit is 42,000", n))
		}
		if strings.TrimSpace(f["script"]) == "" && f["enabled"] == "" && f["customer_default"] == "" && r.Get("enabled") == "" && r.Get("customer_default") == "" {
			bad("script", "", "is required (or enabled / customer_default, to change an existing script)")
		}
	}
	return Parsed{Key: scriptKey(f), Fields: f}, errs
}

// scriptKey names a script: its number or domain and direction.
func scriptKey(f map[string]string) string {
	dir := f["direction"]
	if dir == "" {
		dir = "inbound"
	}
	if f["tn"] != "" {
		return "tn:" + f["tn"] + "/" + dir
	}
	return "domain:" + f["domain"] + "/" + dir
}

func ynBool(v string) *bool {
	if v == "" {
		return nil
	}
	b := v == "Y"
	return &b
}

func (j voiceScriptJob) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	it := inteliquent.VoiceScriptItem{TN: inteliquent.TN(f["tn"]), Domain: f["domain"], Direction: f["direction"]}
	if j.remove {
		return &inteliquent.VoiceScriptRequest{VoiceScript: []inteliquent.VoiceScriptItem{it}, RemoveScript: "Y"}, nil
	}
	it.Script, it.Enabled, it.CustomerDefault = f["script"], ynBool(f["enabled"]), ynBool(f["customer_default"])
	return &inteliquent.VoiceScriptRequest{VoiceScript: []inteliquent.VoiceScriptItem{it}}, nil
}

// scriptGone is a removal the API answered 417: no script was there (any
// more), which is what the row asked for.
type scriptGone struct{ status string }

func (j voiceScriptJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.VoiceScript(ctx, req.(*inteliquent.VoiceScriptRequest))
	var ae *inteliquent.APIError
	if j.remove && errors.As(err, &ae) && inteliquent.Code(err) == "417" {
		return scriptGone{ae.Status}, nil
	}
	return resp, err
}

func (j voiceScriptJob) Read(b *Batch, resp any) Result {
	if g, ok := resp.(scriptGone); ok {
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: "417",
			Message: "no script to remove (" + g.status + ")"})
	}
	if j.remove {
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpVoiceScript, Message: "script removed"})
	}
	r := resp.(*inteliquent.VoiceScriptDetailResponse)
	msg := "script set"
	if l := r.VoiceScriptResponse.VoiceScript; len(l) > 0 {
		msg = fmt.Sprintf("script set: enabled %t, %s, customer default %t, at %s", l[0].Enabled, l[0].Direction, l[0].CustomerDefault, l[0].CreatedDate)
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpVoiceScript, Message: msg})
}

// ---- undo ----

var _ Snapshotter = voiceScriptJob{}

// Snapshot reads the row's script with voiceScriptDetail (430/417: none,
// an entry with no script: undo then removes what the run added).
func (voiceScriptJob) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	out := map[string]Values{}
	for _, r := range b.Rows {
		f := r.Fields
		dir := f["direction"]
		if dir == "" {
			dir = "inbound"
		}
		out[r.Key] = Values{"script": "", "enabled": "", "customer_default": ""}
		d, err := api.VoiceScriptDetail(ctx, &inteliquent.VoiceScriptDetailRequest{VoiceScript: []inteliquent.VoiceScriptQuery{
			{TN: inteliquent.TN(f["tn"]), Domain: f["domain"], Direction: dir}}})
		switch c := inteliquent.Code(err); {
		case c == "430" || c == "417":
			continue
		case err != nil:
			return nil, fmt.Errorf("voiceScriptDetail: %w", err)
		}
		for _, s := range d.VoiceScriptResponse.VoiceScript {
			if s.Direction == dir && (string(s.TN) == f["tn"] && f["tn"] != "" || strings.EqualFold(s.Domain, f["domain"]) && f["domain"] != "") {
				out[r.Key] = Values{"script": s.Script, "enabled": yn(s.Enabled), "customer_default": yn(s.CustomerDefault)}
			}
		}
	}
	return out, nil
}

// Applied is what the row leaves: the removal nothing, a setting the row's
// values over the ones before (a new script is enabled, not the default).
func (j voiceScriptJob) Applied(r record.Row, before Values) Values {
	if j.remove {
		return Values{}
	}
	out := Values{"script": before["script"], "enabled": before["enabled"], "customer_default": before["customer_default"]}
	if Empty(before) {
		out["enabled"], out["customer_default"] = "Y", "N"
	}
	for _, c := range []string{"script", "enabled", "customer_default"} {
		if v := r.Fields[c]; strings.TrimSpace(v) != "" {
			out[c] = v
		}
	}
	return out
}

// Restore puts the script back, or removes the one the run added.
func (j voiceScriptJob) Restore(r record.Row, before Values) UndoRow {
	cells := map[string]string{"tn": r.Fields["tn"], "domain": r.Fields["domain"], "direction": r.Fields["direction"]}
	if cells["direction"] == "" {
		cells["direction"] = "inbound"
	}
	if Empty(before) || strings.TrimSpace(before["script"]) == "" {
		if j.remove {
			return UndoRow{Skip: "had no script before the run"}
		}
		return UndoRow{Kind: "voice-script-remove", Cells: cells}
	}
	cells["script"], cells["enabled"], cells["customer_default"] = before["script"], before["enabled"], before["customer_default"]
	return UndoRow{Kind: "voice-script", Cells: cells}
}
