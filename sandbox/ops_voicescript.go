package sandbox

import (
	"strings"
	"time"
)

// voiceScript (the guide's "Manage Voice Script Settings"): add or change
// the script of one number or one domain, enable or disable it, or remove
// the scripts of many numbers (removeScript "Y", each with its direction).
// The scripts are the account's reference state (refState.scripts), which
// voiceScriptDetail reads.

type voiceScriptItem struct {
	TN              tnValue `json:"tn"`
	Domain          string  `json:"domain"`
	Script          *string `json:"script"`
	Enabled         *bool   `json:"enabled"`
	CustomerDefault *bool   `json:"customerDefault"`
	Direction       string  `json:"direction"`
	RemoveScript    string  `json:"removeScript"` // the table's place for it
}

type voiceScriptReq struct {
	VoiceScript  []voiceScriptItem `json:"voiceScript"`
	RemoveScript string            `json:"removeScript"` // example 4's place
}

const (
	voiceScriptMax       = 42000 // "422: Script is too large. Max limit is 42,000 characters"
	voiceScriptRemoveMax = 100   // the guide's 421 names no number: the sandbox's choice
)

func (it *voiceScriptItem) direction() string {
	if d := strings.ToLower(strings.TrimSpace(it.Direction)); d != "" {
		return d
	}
	return "inbound"
}

// find returns the index of the script of a number or domain in a
// direction, or -1.
func (r *refState) findScript(tn, domain, dir string) int {
	for i, sc := range r.scripts {
		if sc.direction == dir && ((tn != "" && sc.tn == tn) || (domain != "" && strings.EqualFold(sc.domain, domain))) {
			return i
		}
	}
	return -1
}

func scriptRow(sc voiceScriptRec) map[string]any {
	it := map[string]any{"createdDate": sc.created, "enabled": sc.enabled, "direction": sc.direction, "customerDefault": sc.customerDefault}
	if sc.script != "" {
		it["script"] = sc.script
	}
	if sc.tn != "" {
		it["tn"] = sc.tn
	} else {
		it["domain"] = sc.domain
	}
	return it
}

func (st *state) voiceScript(now time.Time, req *voiceScriptReq) answer {
	items := req.VoiceScript
	if len(items) == 0 {
		return fail("414", "Fields are Required:voiceScript")
	}
	remove := strings.EqualFold(strings.TrimSpace(req.RemoveScript), "Y")
	domains := 0
	for i := range items {
		it := &items[i]
		remove = remove || strings.EqualFold(strings.TrimSpace(it.RemoveScript), "Y")
		tn := strings.TrimSpace(string(it.TN))
		switch {
		case tn == "" && strings.TrimSpace(it.Domain) == "":
			return fail("414", "Fields are Required:tn")
		case tn != "" && strings.TrimSpace(it.Domain) != "":
			return fail("416", "Invalid Input Parameters: tn and domain")
		case tn != "":
			n, ok := parseTN(tn)
			if !ok {
				return fail("409", "Invalid TN submitted:"+tn)
			}
			it.TN = tnValue(tnString(n))
		default:
			domains++
		}
		if d := strings.ToLower(strings.TrimSpace(it.Direction)); d != "" && d != "inbound" && d != "outbound" {
			return fail("416", "Invalid Input Parameters: direction")
		}
	}
	if domains > 1 {
		return fail("415", "Domain cannot be specified more than once")
	}
	r := st.rs()
	if remove {
		if len(items) > voiceScriptRemoveMax {
			return fail("421", "Too Many TNs specified in the request")
		}
		found := 0
		for _, it := range items {
			if strings.TrimSpace(it.Direction) == "" {
				return fail("414", "Fields are Required:direction")
			}
		}
		for _, it := range items {
			if i := r.findScript(string(it.TN), strings.TrimSpace(it.Domain), it.direction()); i >= 0 {
				r.scripts = append(r.scripts[:i], r.scripts[i+1:]...)
				found++
			}
		}
		if found == 0 {
			return fail("417", "No voice scripts found for requested data.")
		}
		return success()
	}
	if len(items) > 1 {
		return fail("416", "Invalid Input Parameters: Specified with more than 1 voice script elements during an ADD operation")
	}
	it := items[0]
	if it.Script != nil && len([]rune(*it.Script)) > voiceScriptMax {
		return fail("422", "Script is too large. Max limit is 42,000 characters")
	}
	tn, domain, dir := string(it.TN), strings.TrimSpace(it.Domain), it.direction()
	i := r.findScript(tn, domain, dir)
	if it.Script == nil || strings.TrimSpace(*it.Script) == "" {
		// The guide's examples 5 and 6 enable and disable a script
		// without sending it.
		if it.Enabled == nil && it.CustomerDefault == nil {
			return fail("414", "Fields are Required:script")
		}
		if i < 0 {
			return fail("417", "No voice scripts found for requested data.")
		}
	}
	if i < 0 {
		r.scripts = append(r.scripts, voiceScriptRec{tn: tn, domain: domain, direction: dir, enabled: true})
		i = len(r.scripts) - 1
	}
	sc := &r.scripts[i]
	if it.Script != nil && strings.TrimSpace(*it.Script) != "" {
		sc.script = *it.Script
	}
	if it.Enabled != nil {
		sc.enabled = *it.Enabled
	}
	if it.CustomerDefault != nil {
		sc.customerDefault = *it.CustomerDefault
		if sc.customerDefault {
			for j := range r.scripts {
				if j != i && r.scripts[j].direction == dir {
					r.scripts[j].customerDefault = false
				}
			}
		}
	}
	sc.created = now.UTC().Format("2006-01-02T15:04:05.000Z")
	row := scriptRow(*sc)
	if it.Script == nil {
		delete(row, "script") // examples 5 and 6 answer without it
	}
	return obj{success(), map[string]any{"voiceScriptResponse": map[string]any{"voiceScript": []map[string]any{row}}}}
}
