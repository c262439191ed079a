package sandbox

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"math"
	"strings"
	"time"
)

// The network listings: trunk groups, their utilization, and the toll-free
// routing labels. All are reads; the trunk groups and routing labels are
// the account's state (renamed by ops_rename.go).

func (s *Server) trunkGroupSearchAssigned(_ time.Time, _ []byte) answer {
	if len(s.st.trunks) == 0 {
		return fail("430", "No Results Found")
	}
	rows := make([]map[string]any, len(s.st.trunks))
	for i, t := range s.st.trunks {
		rows[i] = map[string]any{"trunkGroupName": t}
	}
	return obj{success(), map[string]any{"trunkGroupNameList": rows}}
}

// stringOrList is the trunkGroupName of trunkGroupUtilization: the table
// describes one name, the example sends an array. Both are accepted.
type stringOrList []string

// UnmarshalJSON accepts "X", ["X", "Y"] and null.
func (l *stringOrList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var out []string
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
		*l = out
		return nil
	}
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if string(s) == "" {
		*l = nil
		return nil
	}
	*l = stringOrList{string(s)}
	return nil
}

// utilMaxDays bounds a trunkGroupUtilization range (the guide gives no
// maximum; documented in doc.go).
const utilMaxDays = 31

// trunkCapacity is the session capacity every simulated trunk group has.
const trunkCapacity = 1300

// trunkGroupUtilization reports 10-minute intervals of a day-shaped,
// deterministic traffic curve for each named trunk group, up to the
// simulated now.
func (s *Server) trunkGroupUtilization(now time.Time, raw []byte) answer {
	var req struct {
		StartDate      string       `json:"startDate"`
		EndDate        string       `json:"endDate"`
		TrunkGroupName stringOrList `json:"trunkGroupName"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	switch {
	case strings.TrimSpace(req.StartDate) == "":
		return required("startDate")
	case strings.TrimSpace(req.EndDate) == "":
		return required("endDate")
	case len(req.TrunkGroupName) == 0:
		return required("trunkGroupName")
	}
	from, err1 := time.Parse(time.DateOnly, strings.TrimSpace(req.StartDate))
	to, err2 := time.Parse(time.DateOnly, strings.TrimSpace(req.EndDate))
	switch {
	case err1 != nil:
		return invalidValue("startDate")
	case err2 != nil, to.Before(from):
		return invalidValue("endDate")
	case to.Sub(from) >= utilMaxDays*24*time.Hour:
		return invalidValue("endDate (at most 31 days)")
	}
	for _, tg := range req.TrunkGroupName {
		if !s.st.hasTrunk(tg) {
			return fail("414", " Invalid trunkGroupName")
		}
	}
	var rows []map[string]any
	end := to.Add(24 * time.Hour)
	for _, tg := range req.TrunkGroupName {
		h := fnv.New32a()
		h.Write([]byte(tg))
		base := float64(200 + h.Sum32()%600)
		for t := from; t.Before(end) && !t.After(now); t = t.Add(10 * time.Minute) {
			// a daily curve peaking mid-afternoon, with a deterministic ripple
			hour := float64(t.Hour()) + float64(t.Minute())/60
			load := base * (0.55 + 0.45*math.Sin((hour-9)/24*2*math.Pi))
			ripple := float64((uint32(t.Unix()/600)*2654435761)^h.Sum32()) / float64(math.MaxUint32)
			out := int(load * (0.9 + 0.2*ripple))
			in := int(float64(out) * 0.35)
			rows = append(rows, map[string]any{"trunkGroupDate": t.Format("2006-01-02 15:04"), "inCalls": in, "outCalls": out, "capacity": trunkCapacity})
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"trunkGroupUtilList": map[string]any{"trunkGroupUtilItem": rows}}}
}

func (s *Server) routingLabelSearchAssigned(_ time.Time, _ []byte) answer {
	labels := s.st.tfs().labels
	rows := make([]map[string]any, len(labels))
	for i, l := range labels {
		rows[i] = map[string]any{"customerAssignedName": l.name, "routingLabel": l.label, "routePrioritizationType": l.prio}
	}
	return obj{success(), map[string]any{"routingLabelList": map[string]any{"routingLabelItem": rows}}}
}

func (s *Server) routingLabelDetail(_ time.Time, raw []byte) answer {
	var req struct {
		RoutingLabel string `json:"routingLabel"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	if strings.TrimSpace(req.RoutingLabel) == "" {
		return required("routingLabel")
	}
	l := s.st.tfs().findLabel(req.RoutingLabel)
	if l == nil {
		return fail("430", "No Results Found")
	}
	rows := make([]map[string]any, len(l.routes))
	for i, r := range l.routes {
		rows[i] = map[string]any{"routeSequence": itoa(i), "trunkGroupName": r.tg, "routeProportion": r.proportion}
	}
	return obj{success(), map[string]any{"routingLabelList": map[string]any{"routingLabelItem": rows}}}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
