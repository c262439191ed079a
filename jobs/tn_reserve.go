package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// tnReserve holds inventory numbers for four hours (the guide's "Reserve
// Telephone Numbers", POST /tnReserve); tnRelease gives them back (POST
// /tnRelease). Both answer per number in excludedTnList (bare {tn} items,
// no reason). tnReserve's 431 is not "try again" but "Request exceeds the
// maximum number of reserved TNs": the batch's rows fail with that message.
//
// Neither is safely resent after a lost answer (a number reserved by the
// lost request comes back excluded the second time), so both reconcile
// against tnReservedList.
type (
	tnReserve struct{}
	tnRelease struct{}
)

var (
	_ Reconciler = tnReserve{}
	_ Reconciler = tnRelease{}
)

// reserveLimitReached is tnReserve's 431 as an answer: the pipeline must
// not retry it, and Read turns it into one failure per row.
type reserveLimitReached struct{ status string }

func (tnReserve) Spec() Spec {
	return Spec{
		Name:       "tn-reserve",
		Summary:    "reserve inventory numbers for four hours before ordering them",
		Operations: []string{inteliquent.OpTnReserve, inteliquent.OpTnReservedList},
		Columns:    []Column{tnColumn()},
		BatchSize:  MaxBatch,
	}
}

func (tnReserve) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{}}, errs
}

func (tnReserve) Build(b *Batch) (any, error) {
	req := &inteliquent.TnReserveRequest{}
	req.TnReserve.TnList = inteliquent.TnRefs(tns(b)...)
	return req, nil
}

func (tnReserve) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.TnReserve(ctx, req.(*inteliquent.TnReserveRequest))
	if inteliquent.Code(err) == "431" {
		var ae *inteliquent.APIError
		status := "Request exceeds the maximum number of reserved TNs"
		if errors.As(err, &ae) && ae.Status != "" {
			status = ae.Status
		}
		return &reserveLimitReached{status: status}, nil
	}
	return resp, err
}

func (tnReserve) Read(b *Batch, resp any) Result {
	switch r := resp.(type) {
	case *reserveLimitReached:
		return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: "431",
			Message: r.status + " (release reservations or wait for them to lapse, then run again)"})
	case *inteliquent.TnReserveResponse:
		until := time.Now().UTC().Add(4 * time.Hour).Format(time.RFC3339)
		x := r.TnReserveResponse
		res := readExcludedTNs(b, inteliquent.OpTnReserve, x.ExcludedTnList,
			"reserved for four hours (until about "+until+")", "not reserved: excluded by tnReserve (not available, or reserved by another customer)")
		return checkCounts(b, res, inteliquent.OpTnReserve, r.Envelope, x.TotalTnCount, x.ReservedTnCount, "reservedTnCount", x.ExcludedTnList)
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: "answer", Message: fmt.Sprintf("unexpected answer %T", resp)})
}

// Reconcile: a number on tnReservedList after a lost tnReserve was reserved
// (by this batch, or earlier by this account); the others are sent again.
func (tnReserve) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	reserved, err := reservedSet(ctx, api)
	if err != nil {
		return Result{}, nil, err
	}
	var res Result
	var resend []int
	for _, r := range b.Rows {
		if reserved[r.Key] {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusOK, Code: "reconciled", Message: "reserved (on tnReservedList); answer was lost"}})
			continue
		}
		resend = append(resend, r.Seq)
	}
	return res, resend, nil
}

func (tnRelease) Spec() Spec {
	return Spec{
		Name:       "tn-release",
		Summary:    "release reserved numbers back to inventory",
		Operations: []string{inteliquent.OpTnRelease, inteliquent.OpTnReservedList},
		Columns:    []Column{tnColumn()},
		BatchSize:  MaxBatch,
	}
}

func (tnRelease) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{}}, errs
}

func (tnRelease) Build(b *Batch) (any, error) {
	req := &inteliquent.TnReleaseRequest{}
	req.TnRelease.TnList = inteliquent.TnRefs(tns(b)...)
	return req, nil
}

func (tnRelease) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnRelease(ctx, req.(*inteliquent.TnReleaseRequest))
}

func (tnRelease) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.TnReleaseResponse)
	x := r.TnReleaseResponse
	res := readExcludedTNs(b, inteliquent.OpTnRelease, x.ExcludedTnList,
		"released to inventory", "not released: excluded by tnRelease (not reserved by this account)")
	return checkCounts(b, res, inteliquent.OpTnRelease, r.Envelope, x.TotalTnCount, x.ReleasedTnCount, "releasedTnCount", x.ExcludedTnList)
}

// checkCounts reads tnReserve's and tnRelease's counts strictly (DESIGN.md
// rule 4). The guide's answers (tnRelease, guide lines 1313–1319 and
// 1343–1355; tnReserve 1168–1176 and 1250–1266) carry totalTnCount, the
// count done (releasedTnCount, reservedTnCount) and an excludedTnList of
// bare {tn} items: the numbers not listed are done only when the counts
// add up — totalTnCount is the batch's size and done + excluded equals it.
// When they do not (e.g. "releasedTnCount": 0 with no excludedTnList), the
// answer proves nothing for the unlisted numbers: they are in doubt, with
// the API's counts in the message, and reconciled against tnReservedList.
func checkCounts(b *Batch, res Result, op string, env inteliquent.Envelope, total, done inteliquent.FlexInt, doneName string, excluded []inteliquent.TnItemRef) Result {
	rows := byKey(b)
	ours := 0
	for _, x := range excluded {
		if _, ok := rows[string(x.TN)]; ok {
			ours++
		}
	}
	if total.Valid && done.Valid && int(total.N) == len(b.Rows) && int(done.N)+ours == len(b.Rows) && ours == len(excluded) {
		return res
	}
	count := func(n inteliquent.FlexInt) string {
		if !n.Valid {
			return "missing"
		}
		return fmt.Sprint(n.N)
	}
	msg := fmt.Sprintf("%s's counts do not add up for this batch of %d: totalTnCount %s, %s %s, excludedTnList names %d (%d of them ours); status %q statusCode %q",
		op, len(b.Rows), count(total), doneName, count(done), len(excluded), ours, env.Status, env.StatusCode.String())
	for i := range res.Rows {
		if res.Rows[i].Status == record.StatusOK {
			res.Rows[i].Outcome = record.Outcome{Status: record.StatusInDoubt, Code: op, Message: msg}
		}
	}
	return res
}

// Reconcile: a number no longer on tnReservedList after a lost tnRelease is
// released; one still reserved is sent again.
func (tnRelease) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	reserved, err := reservedSet(ctx, api)
	if err != nil {
		return Result{}, nil, err
	}
	var res Result
	var resend []int
	for _, r := range b.Rows {
		if !reserved[r.Key] {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusOK, Code: "reconciled", Message: "not on tnReservedList; answer was lost"}})
			continue
		}
		resend = append(resend, r.Seq)
	}
	return res, resend, nil
}

func tns(b *Batch) []inteliquent.TN {
	out := make([]inteliquent.TN, len(b.Rows))
	for i, r := range b.Rows {
		out[i] = inteliquent.TN(r.Key)
	}
	return out
}

// readExcludedTNs makes one outcome per row from a bare excludedTnList: the
// numbers it names are excluded with reason, the others ok.
func readExcludedTNs(b *Batch, op string, excluded []inteliquent.TnItemRef, okMsg, reason string) Result {
	bad := make(map[string]bool, len(excluded))
	for _, x := range excluded {
		bad[string(x.TN)] = true
	}
	today := time.Now().UTC().Format("2006-01-02")
	var res Result
	for _, r := range b.Rows {
		if bad[r.Key] {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusExcluded, Code: op, Message: reason}})
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: reason, InsertDate: today})
			continue
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusOK, Message: okMsg}})
	}
	rows := byKey(b)
	for _, x := range excluded {
		if _, ours := rows[string(x.TN)]; !ours {
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: string(x.TN), Reason: "not in this batch: " + reason, InsertDate: today})
		}
	}
	return res
}

// reservedSet reads tnReservedList (unpaginated; 430 is an empty list).
func reservedSet(ctx context.Context, api *inteliquent.Client) (map[string]bool, error) {
	resp, err := api.TnReservedList(ctx, &inteliquent.TnReservedListRequest{})
	if err != nil {
		return nil, fmt.Errorf("tnReservedList: %w", err)
	}
	out := make(map[string]bool, len(resp.ReservedTns))
	for _, r := range resp.ReservedTns {
		out[string(r.TelephoneNumber)] = true
	}
	return out, nil
}
