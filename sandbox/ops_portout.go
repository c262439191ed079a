package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Port-out: the account is the losing carrier. Pending port-out orders are
// seeded (seedPortOuts: 1501843 holds the guide's example number
// 8082017948); portOutApproval closes every number
// not rejected, tnPortOutReject cancels one number, and tnPortOutHistory
// lists the Canceled and Closed numbers of the past three months.

// portOut is one pending or finished port-out order.
type portOut struct {
	id   int64
	tns  []string
	done map[string]portOutDone // tn -> how it ended
}

type portOutDone struct {
	status string    // Closed or Canceled
	at     time.Time // when
}

// seedPortOuts are the pending port-out orders; the first is the guide's
// example order.
var seedPortOuts = []struct {
	id  int64
	tns []string
}{
	{1501843, []string{"8082017948", "8082017949"}},
	{1501844, []string{"3125550201", "3125550202", "3125550203"}},
	{1501845, []string{"6465550300"}},
	{1501846, []string{"2125550400", "2125550401", "2125550402", "2125550403", "2125550404", "2125550405", "2125550406", "2125550407", "2125550408", "2125550409"}},
	{1501847, []string{"2125550410", "2125550411", "2125550412", "2125550413", "2125550414", "2125550415", "2125550416", "2125550417", "2125550418", "2125550419"}},
}

// pastPortOuts are finished port-outs, dated this many days before the
// request (the guide's example history).
var pastPortOuts = []struct {
	id      int64
	status  string
	daysAgo int
	tn      string
}{
	{1356221, "Canceled", 80, "3216667663"},
	{1356575, "Canceled", 60, "3028303232"},
	{1385129, "Closed", 30, "3028303232"},
	{1385525, "Closed", 10, "9707717171"},
	{1301001, "Closed", 120, "9707717100"}, // older than three months: never listed
}

func (rs *refState) portOutsSeeded() []*portOut {
	if rs.portOuts == nil {
		for _, p := range seedPortOuts {
			rs.portOuts = append(rs.portOuts, &portOut{id: p.id, tns: p.tns, done: map[string]portOutDone{}})
		}
	}
	return rs.portOuts
}

func (rs *refState) portOut(id string) *portOut {
	for _, p := range rs.portOutsSeeded() {
		if strconv.FormatInt(p.id, 10) == strings.TrimSpace(id) {
			return p
		}
	}
	return nil
}

type portOutApprovalReq struct {
	OrderID flexString `json:"orderId"`
}

type tnPortOutRejectReq struct {
	TnPortOutReject struct {
		TN           tnValue    `json:"tn"`
		OrderID      flexString `json:"orderId"`
		RejectReason string     `json:"rejectReason"`
	} `json:"tnPortOutReject"`
}

// portOutRejectReasons are the guide's rejectReason values.
var portOutRejectReasons = []string{"PIN", "DATAMIS", "AUTHNMMIS", "INVACCT", "INVZIPCD"}

func (st *state) portOutApproval(now time.Time, req *portOutApprovalReq) answer {
	if strings.TrimSpace(string(req.OrderID)) == "" {
		return required("orderId")
	}
	p := st.rs().portOut(string(req.OrderID))
	if p == nil {
		return fail("432", "Order "+string(req.OrderID)+" is not a port-out order of this account")
	}
	open := 0
	for _, tn := range p.tns {
		if _, ok := p.done[tn]; !ok {
			open++
		}
	}
	if open == 0 {
		return fail("432", "Port-out order "+string(req.OrderID)+" is not pending")
	}
	for _, tn := range p.tns {
		if _, ok := p.done[tn]; !ok {
			p.done[tn] = portOutDone{status: "Closed", at: now}
		}
	}
	return success()
}

func (st *state) tnPortOutReject(now time.Time, req *tnPortOutRejectReq) answer {
	r := req.TnPortOutReject
	var missing []string
	for _, f := range []struct{ name, v string }{{"tn", string(r.TN)}, {"orderId", string(r.OrderID)}, {"rejectReason", r.RejectReason}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return required(strings.Join(missing, ","))
	}
	if !slices.Contains(portOutRejectReasons, strings.TrimSpace(r.RejectReason)) {
		return invalidValue("rejectReason")
	}
	p := st.rs().portOut(string(r.OrderID))
	if p == nil {
		return fail("410", "Invalid Order Id")
	}
	tn := strings.TrimSpace(string(r.TN))
	if !slices.Contains(p.tns, tn) {
		return invalidValue("tn")
	}
	if d, ok := p.done[tn]; ok {
		return fail("414", "TN "+tn+" is already "+d.status+" on order "+string(r.OrderID))
	}
	p.done[tn] = portOutDone{status: "Canceled", at: now}
	return success()
}

const portOutDateLayout = "2006-01-02T15:04:05.000-0700"

func (s *Server) tnPortOutHistory(now time.Time, _ []byte) answer {
	from := now.AddDate(0, -3, 0)
	day := now.UTC().Truncate(24 * time.Hour)
	var items []map[string]any
	add := func(id int64, status string, portDate time.Time, tn string) {
		if portDate.Before(from) {
			return
		}
		items = append(items, map[string]any{"orderId": id, "orderStatus": status,
			"createdDate": portDate.AddDate(0, 0, -7).UTC().Format(portOutDateLayout), "portDate": portDate.UTC().Format(portOutDateLayout), "tn": tn})
	}
	for _, p := range pastPortOuts {
		add(p.id, p.status, day.AddDate(0, 0, -p.daysAgo), p.tn)
	}
	for _, p := range s.st.rs().portOutsSeeded() {
		for _, tn := range p.tns {
			if d, ok := p.done[tn]; ok {
				add(p.id, d.status, d.at, tn)
			}
		}
	}
	if len(items) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"orderList": map[string]any{"orderType": items}}}
}
