package inteliquent

import "strings"

// ActivationStatus is portInOrderActivate's status string parsed per group.
//
// The guide's only example:
//
//	tnGroup:Group ID 93453 - Ameritech/1 Status:{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}|tnGroup: Group ID 93457 - BellSouth/1 Status:Success|}
//
// The grammar is not documented; the parser reads
//
//	status  = group { "|" group } [ "|" ] [ "}" ]   (or a bare "Success")
//	group   = "tnGroup:" [ " " ] name " Status:" result
//	result  = "Success" | a TNStatus text such as "{1=[reason]}"
//
// Groups are split on "|" followed by "tnGroup:", so a reason may contain
// "|". Raw always keeps the text; Parsed is false when it does not follow
// the shape, and then Groups is empty.
type ActivationStatus struct {
	Raw    string
	Parsed bool
	// OK is a bare "Success" with no per-group part.
	OK     bool
	Groups []GroupActivation
}

// GroupActivation is one group's result.
type GroupActivation struct {
	// TnGroup is the group's name as sent ("Group ID 93457 - BellSouth/1").
	TnGroup string
	// OK reports Status "Success".
	OK bool
	// Status is the group's result text verbatim.
	Status string
	// Detail is Status parsed with ParseTNStatus (entries keyed "1" carry
	// the reason, and a number when the API names one).
	Detail TNStatus
}

// Reason returns a failed group's reasons joined, or its raw status.
func (g GroupActivation) Reason() string {
	if g.OK {
		return ""
	}
	if g.Detail.Parsed && len(g.Detail.Entries) > 0 {
		parts := make([]string, 0, len(g.Detail.Entries))
		for _, e := range g.Detail.Entries {
			p := e.Reason
			if e.TN != "" {
				p = strings.TrimSpace(string(e.TN) + " " + p)
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "; ")
	}
	return g.Status
}

// Group returns the result for a group name (compared after trimming), and
// whether the status named it.
func (a ActivationStatus) Group(name string) (GroupActivation, bool) {
	name = strings.TrimSpace(name)
	for _, g := range a.Groups {
		if g.TnGroup == name {
			return g, true
		}
	}
	return GroupActivation{}, false
}

const (
	tnGroupTag = "tnGroup:"
	statusTag  = " Status:"
)

// ParseActivationStatus parses portInOrderActivate's status. It never fails.
func ParseActivationStatus(s string) ActivationStatus {
	out := ActivationStatus{Raw: s}
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "success") {
		out.Parsed, out.OK = true, true
		return out
	}
	if !strings.HasPrefix(t, tnGroupTag) {
		return out
	}
	switch {
	case strings.HasSuffix(t, "|}"):
		t = t[:len(t)-2]
	case strings.HasSuffix(t, "|"):
		t = t[:len(t)-1]
	}
	var groups []GroupActivation
	for len(t) > 0 {
		if !strings.HasPrefix(t, tnGroupTag) {
			return out
		}
		t = t[len(tnGroupTag):]
		end := nextGroup(t)
		seg := t
		if end >= 0 {
			seg, t = t[:end], t[end+1:]
			t = strings.TrimLeft(t, " ")
		} else {
			t = ""
		}
		i := strings.Index(seg, statusTag)
		if i < 0 {
			return out
		}
		name := strings.TrimSpace(seg[:i])
		res := strings.TrimSpace(seg[i+len(statusTag):])
		if name == "" {
			return out
		}
		g := GroupActivation{TnGroup: name, Status: res, OK: strings.EqualFold(res, "success")}
		if !g.OK {
			g.Detail = ParseTNStatus(res)
		}
		groups = append(groups, g)
	}
	if len(groups) == 0 {
		return out
	}
	out.Parsed, out.Groups = true, groups
	return out
}

// nextGroup returns the index of the "|" that starts the next group, or -1.
func nextGroup(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && strings.HasPrefix(strings.TrimLeft(s[i+1:], " "), tnGroupTag) {
			return i
		}
	}
	return -1
}
