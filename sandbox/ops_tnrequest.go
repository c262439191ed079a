package sandbox

import (
	"strings"
	"time"
)

// tnRequest (the guide's "Request TN"): numbers picked from inventory by
// area (state, lata, rateCenter, npa, nxx) and quantity, always into an
// order that answers its orderId. With activate Y the numbers go on the
// account as the order is processed (like a background tnOrder); otherwise
// they are held for the account (reserved, as tnReserve holds them). When
// fewer numbers match than asked for, the order holds those that do; none
// is an order with no numbers.

type tnRequestReq struct {
	CustomerOrderReference flexString `json:"customerOrderReference"`
	State                  string     `json:"state"`
	Lata                   flexString `json:"lata"`
	RateCenter             string     `json:"rateCenter"`
	Npa                    flexString `json:"npa"`
	Nxx                    flexString `json:"nxx"`
	TrunkGroup             string     `json:"trunkGroup"`
	Quantity               flexInt    `json:"quantity"`
	Activate               string     `json:"activate"`
}

// tnRequestMax is the sandbox's cap on quantity (the guide documents none).
const tnRequestMax = 1000

func threeDigits(s string) bool {
	return len(s) == 3 && strings.Trim(s, "0123456789") == ""
}

func (st *state) tnRequest(now time.Time, req *tnRequestReq) answer {
	q := int(req.Quantity)
	npa, nxx := strings.TrimSpace(string(req.Npa)), strings.TrimSpace(string(req.Nxx))
	activate := strings.ToUpper(strings.TrimSpace(req.Activate))
	switch {
	case q == 0:
		return required("quantity")
	case q < 0 || q > tnRequestMax:
		return invalidValue("quantity")
	case npa != "" && !threeDigits(npa):
		return invalidValue("npa")
	case nxx != "" && !threeDigits(nxx):
		return invalidValue("nxx")
	case activate != "" && activate != "Y" && activate != "N":
		return invalidValue("activate")
	case req.TrunkGroup != "" && !st.hasTrunk(req.TrunkGroup):
		return invalidValue("trunkGroup")
	}
	if npa == "" {
		npa = "xxx"
	}
	if nxx == "" {
		nxx = "xxx"
	}
	mask := npa + nxx + "xxxx"
	inv := &tnInventoryReq{TnMask: &mask, Lata: req.Lata, RateCenter: strings.TrimSpace(req.RateCenter),
		Province: strings.TrimSpace(req.State), Quantity: flexInt(q)}
	query, bad := st.compileInventory(inv)
	if bad != nil {
		return bad
	}
	tns, _ := st.scan(query, now, cursor{}, 0, q)
	o := st.newOrder(now, kindNew, strings.TrimSpace(string(req.CustomerOrderReference)), q, false)
	for i, tn := range tns {
		it := &tnItem{TN: tnValue(tnString(tn)), TrunkGroup: req.TrunkGroup}
		o.Valid = append(o.Valid, tn)
		o.Items[tn] = it
		if activate == "Y" {
			st.activate(now, tn, it, o, i, nil, false)
			continue
		}
		r := st.rec(tn, true)
		r.reservedUntil = now.Add(reserveHold)
		st.reserved[tn] = struct{}{}
	}
	o.seal(false)
	return orderAnswer{success(), orderIDText(o)}
}
