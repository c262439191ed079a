package sandbox

import (
	"slices"
	"strings"
	"time"
)

// trunkGroupUpdate renames one of the account's trunk groups: the list
// trunkGroupSearchAssigned answers, every number routed to it and every
// toll-free routing label's route to it (routingLabelDetail).
// routingLabelUpdate renames a toll-free routing label: the list
// routingLabelSearchAssigned answers and every toll-free number routed
// with it; the old name is unknown from then on.

type trunkGroupUpdateReq struct {
	TrunkGroupNameNew     string `json:"trunkGroupNameNew"`
	TrunkGroupNameCurrent string `json:"trunkGroupNameCurrent"`
}

// validTrunkGroupName: "alphanumeric characters, space, and/or underscore".
func validTrunkGroupName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '_') {
			return false
		}
	}
	return s != ""
}

func (st *state) trunkGroupUpdate(_ time.Time, req *trunkGroupUpdateReq) answer {
	cur, nu := strings.TrimSpace(req.TrunkGroupNameCurrent), strings.TrimSpace(req.TrunkGroupNameNew)
	switch {
	case cur == "" && nu == "":
		return required("trunkGroupNameCurrent,trunkGroupNameNew")
	case cur == "":
		return required("trunkGroupNameCurrent")
	case nu == "":
		return required("trunkGroupNameNew")
	case !validTrunkGroupName(nu):
		return invalidValue("trunkGroupNameNew")
	}
	i := slices.Index(st.trunks, cur)
	if i < 0 {
		return invalidValue("trunkGroupNameCurrent")
	}
	if cur != nu && slices.Contains(st.trunks, nu) {
		return fail("414", "Trunk group name already exists: "+nu)
	}
	st.trunks[i] = nu
	ts := st.tfs()
	for li := range ts.labels {
		for ri := range ts.labels[li].routes {
			if r := &ts.labels[li].routes[ri]; r.tg == cur {
				r.tg = nu
			}
		}
	}
	for _, recs := range st.recs {
		for _, r := range recs {
			if r.tg == cur {
				r.tg = nu
			}
			if r.tgPrev == cur {
				r.tgPrev = nu
			}
		}
	}
	return success()
}

type routingLabelUpdateReq struct {
	RoutingLabel    string `json:"routingLabel"`
	NewRoutingLabel string `json:"newRoutingLabel"`
}

// routingLabelMax is the sandbox's limit on a routing label's length (the
// guide gives none; its labels are up to 22 characters).
const routingLabelMax = 50

func (st *state) routingLabelUpdate(_ time.Time, req *routingLabelUpdateReq) answer {
	cur, nu := strings.TrimSpace(req.RoutingLabel), strings.TrimSpace(req.NewRoutingLabel)
	switch {
	case cur == "" && nu == "":
		return required("routingLabel,newRoutingLabel")
	case cur == "":
		return required("routingLabel")
	case nu == "":
		return required("newRoutingLabel")
	case len(nu) > routingLabelMax:
		return invalidValue("newRoutingLabel")
	}
	ts := st.tfs()
	l := ts.findLabel(cur)
	if l == nil {
		return invalidValue("routingLabel")
	}
	if other := ts.findLabel(nu); other != nil && other != l {
		return fail("414", "Routing label already exists: "+nu)
	}
	old := l.label
	l.label = nu
	for _, r := range ts.recs {
		if r.label == old {
			r.label = nu
		}
		if r.labelPrev == old {
			r.labelPrev = nu
		}
	}
	return success()
}
