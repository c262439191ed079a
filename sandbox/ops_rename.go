package sandbox

import (
	"slices"
	"strings"
	"time"
)

// trunkGroupUpdate renames one of the account's trunk groups: the list
// trunkGroupSearchAssigned answers and every number routed to it (the
// toll-free routing labels' routes are fixed reference data and keep the
// old name).

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
