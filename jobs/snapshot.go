package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// Undo (issue 20). A kind that overwrites values implements Snapshotter:
// before a batch is sent, the engine reads the numbers' current values with
// the API's own read operations (tnDetail, tnMessagingCampaignList...) and
// commits them to the checkpoint, and `iqbulk undo` later writes the
// manifest that puts them back (tn-order's snapshot says whether a number
// was on the account: the numbers it ordered are disconnected). A kind
// whose change no request can take back implements Irreversible.

// Values are a number's values in a kind's snapshot columns.
type Values = map[string]string

// UndoRow is one row of an undo manifest: the kind to run and its cells by
// the kind's canonical column names. A non-empty Skip says why the row
// cannot be restored (nothing is written for it).
type UndoRow struct {
	Kind  string
	Cells map[string]string
	Skip  string
	// Partly, with a row written, says what of the row's change it cannot
	// put back, and why (undo lists each as restored in part).
	Partly []string
	// Then are rows of other kinds that complete the restore; undo writes
	// them to their own manifests, run after this row's (the campaign that
	// messaging-remove took away goes back once messaging is).
	Then []UndoRow
	// Cannot, instead of a row, says why the row's change cannot be taken
	// back: the number keeps the run's value (undo shows these rows apart
	// from those left alone because nothing needs restoring).
	Cannot string
}

// PartialRestorer is implemented by snapshotters whose Restore may put
// back only part of a row's change (UndoRow.Partly): Restored is what the
// number holds once the restore row ran, so a second undo (or --check)
// sees a partly restored number as restored, not as changed since.
type PartialRestorer interface {
	Restored(r record.Row, before Values) Values
}

// Snapshotter is implemented by kinds that overwrite values.
type Snapshotter interface {
	// Snapshot reads the current values of the batch's numbers, by row
	// key. A number the read does not show has no entry. It only reads,
	// through the run's client (rate limit and retries shared).
	Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error)
	// Applied is what row r set, in Snapshot's columns: what a read shows
	// once the row was applied (for e911, the address the API provisioned;
	// for kinds that add to a list, before plus what the row added).
	Applied(r record.Row, before Values) Values
	// Restore is the row that puts back before, the values r's number had
	// before the run. A value that was empty is removed (e911-remove,
	// campaign-remove, remove_note), not set to empty.
	Restore(r record.Row, before Values) UndoRow
}

// Presumer is implemented by snapshotters whose values before a send are
// known without reading them: tn-order's numbers are not on the account
// (the API excludes those that are), so an order costs no extra request.
// The engine then neither reads nor writes anything before a send; undo
// calls Presume, and its --check still reads with Snapshot. Only rows the run knows it applied
// (ok) are undone for such kinds: the others' fate is settled by resume.
type Presumer interface {
	Presume(b *Batch) map[string]Values
}

// Irreversible is implemented by kinds whose change cannot be undone; it
// says why.
type Irreversible interface {
	Irreversible() string
}

// SameValues reports whether two sets of values are equal, ignoring case,
// surrounding space and the difference between a missing value and "".
func SameValues(a, b Values) bool {
	for k, v := range a {
		if !strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(b[k])) {
			return false
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok && strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Empty reports whether every value is empty.
func Empty(v Values) bool {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// detailValues reads tnDetail for the batch's numbers and keeps what pick
// takes of each.
func detailValues(ctx context.Context, api *inteliquent.Client, b *Batch, pick func(inteliquent.TnDetailItem) Values) (map[string]Values, error) {
	d, err := accountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(d))
	for tn, item := range d {
		out[tn] = pick(item)
	}
	return out, nil
}

// ---- tn-note ----

var _ Snapshotter = tnNote{}

func (tnNote) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return detailValues(ctx, api, b, func(d inteliquent.TnDetailItem) Values { return Values{"note": d.TnNote} })
}

func (tnNote) Applied(r record.Row, _ Values) Values { return Values{"note": r.Fields["note"]} }

func (tnNote) Restore(r record.Row, before Values) UndoRow {
	if strings.TrimSpace(before["note"]) == "" {
		return UndoRow{Kind: "tn-note", Cells: map[string]string{"tn": r.Key, "note": "", "remove_note": "Y"}}
	}
	return UndoRow{Kind: "tn-note", Cells: map[string]string{"tn": r.Key, "note": before["note"]}}
}

// ---- tn-trunk-group ----

var _ Snapshotter = tnTrunkGroup{}

func (tnTrunkGroup) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return detailValues(ctx, api, b, func(d inteliquent.TnDetailItem) Values { return Values{"trunk_group": d.TrunkGroup} })
}

func (tnTrunkGroup) Applied(r record.Row, _ Values) Values {
	return Values{"trunk_group": r.Fields["trunk_group"]}
}

func (tnTrunkGroup) Restore(r record.Row, before Values) UndoRow {
	if strings.TrimSpace(before["trunk_group"]) == "" {
		return UndoRow{Cannot: "had no trunk group before the run; an In Service number cannot be left without one"}
	}
	return UndoRow{Kind: "tn-trunk-group", Cells: map[string]string{"tn": r.Key, "trunk_group": before["trunk_group"]}}
}

// ---- e911, e911-remove ----

// e911Fields are the e911 manifest columns and the tnDetail
// tnFeature.e911 fields that hold them.
var e911SnapshotColumns = []string{"name", "street_num", "street_info", "location", "city", "state", "postal_code", "postal_code_plus_four"}

func e911Values(d inteliquent.TnDetailItem) Values {
	v := Values{}
	for _, c := range e911SnapshotColumns {
		v[c] = ""
	}
	if d.TnFeature == nil || d.TnFeature.E911 == nil {
		return v
	}
	e := d.TnFeature.E911
	v["name"], v["street_num"], v["street_info"], v["location"] = e.Name, string(e.OrigStreetNum), e.OrigStreetInfo, e.OrigLocation
	v["city"], v["state"], v["postal_code"], v["postal_code_plus_four"] = e.OrigCity, e.OrigState, string(e.OrigPostalCode), string(e.OrigPostalCodePlusFour)
	return v
}

func e911Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return detailValues(ctx, api, b, e911Values)
}

// e911Restore provisions the address a number had, or removes it when it
// had none.
func e911Restore(r record.Row, before Values) UndoRow {
	if Empty(before) {
		return UndoRow{Kind: "e911-remove", Cells: map[string]string{"tn": r.Key}}
	}
	cells := map[string]string{"tn": r.Key}
	for _, c := range e911SnapshotColumns {
		cells[c] = before[c]
	}
	return UndoRow{Kind: "e911", Cells: cells}
}

var (
	_ Snapshotter = e911{}
	_ Snapshotter = e911Remove{}
)

func (e911) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return e911Snapshot(ctx, api, b)
}

// Applied is the address the API provisioned (it may have corrected it),
// or, before an answer, the address the row sent.
func (e911) Applied(r record.Row, _ Values) Values {
	v := Values{"name": r.Fields["name"]}
	if r.Extra["provisioned_street_info"] != "" {
		for _, c := range e911SnapshotColumns[1:] {
			v[c] = r.Extra["provisioned_"+c]
		}
		return v
	}
	for _, c := range e911SnapshotColumns[1:] {
		v[c] = r.Fields[c]
	}
	return v
}

func (e911) Restore(r record.Row, before Values) UndoRow { return e911Restore(r, before) }

func (e911Remove) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return e911Snapshot(ctx, api, b)
}

func (e911Remove) Applied(record.Row, Values) Values { return Values{} }

func (e911Remove) Restore(r record.Row, before Values) UndoRow { return e911Restore(r, before) }

// ---- campaign-assign, campaign-remove ----

var _ Snapshotter = campaign{}

// Snapshot reads tnMessagingCampaignList, the only read that names a
// number's campaign (unpaginated: one request per batch).
func (campaign) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	list, err := api.TnMessagingCampaignList(ctx, &inteliquent.TnMessagingCampaignListRequest{})
	if err != nil {
		return nil, fmt.Errorf("snapshot: tnMessagingCampaignList: %w", err)
	}
	want := make(map[string]bool, len(b.Rows))
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		want[k] = true
		out[k] = Values{"campaign_id": ""} // not listed: no campaign
	}
	for _, it := range list.TnMessageCampaignList.TnMessageCampaignItem {
		if tn := string(it.TN); want[tn] {
			out[tn] = Values{"campaign_id": strings.TrimSpace(string(it.MsgCampaignID))}
		}
	}
	return out, nil
}

func (j campaign) Applied(r record.Row, _ Values) Values {
	if j.remove {
		return Values{"campaign_id": ""}
	}
	return Values{"campaign_id": r.Fields["campaign_id"]}
}

func (j campaign) Restore(r record.Row, before Values) UndoRow {
	if c := strings.TrimSpace(before["campaign_id"]); c != "" {
		return UndoRow{Kind: "campaign-assign", Cells: map[string]string{"tn": r.Key, "campaign_id": c}}
	}
	// It had none: take off the campaign the run assigned.
	return UndoRow{Kind: "campaign-remove", Cells: map[string]string{"tn": r.Key, "campaign_id": r.Fields["campaign_id"]}}
}

// ---- tn-order: undone by disconnecting ----

// tn-order's snapshot says whether a number was on the account before the
// run ordered it: presumed not (Presume), read at undo time (Snapshot). A
// number the run ordered is undone by tn-disconnect (destructive: --yes
// outside the sandbox).
var (
	_ Snapshotter = tnOrder{}
	_ Presumer    = tnOrder{}
)

func (tnOrder) Presume(b *Batch) map[string]Values {
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"on_account": "N"}
	}
	return out
}

func (tnOrder) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	out, err := detailValues(ctx, api, b, func(d inteliquent.TnDetailItem) Values { return Values{"on_account": yn(onAccount(d))} })
	if err != nil {
		return nil, err
	}
	for _, k := range b.Keys() {
		if _, ok := out[k]; !ok {
			out[k] = Values{"on_account": "N"} // not assigned to the account
		}
	}
	return out, nil
}

// onAccount: In Service, or on its way there (not on its way out).
func onAccount(d inteliquent.TnDetailItem) bool {
	return strings.EqualFold(d.TnStatus, "In Service") || strings.EqualFold(d.TnStatus, "Pending")
}

func (tnOrder) Applied(record.Row, Values) Values { return Values{"on_account": "Y"} }

func (tnOrder) Restore(r record.Row, before Values) UndoRow {
	if before["on_account"] == "Y" {
		return UndoRow{Skip: "was on the account before the run"}
	}
	return UndoRow{Kind: "tn-disconnect", Cells: map[string]string{"tn": r.Key}}
}

// ---- kinds that cannot be undone ----

func (tnDisconnect) Irreversible() string {
	return "a disconnected number goes back to inventory (or aging) and another customer may get it; order it again with tn-order if it is still available"
}

func (tfDisconnect) Irreversible() string {
	return "a disconnected toll-free number goes back to the pool; order it again with tf-order if it is still available"
}

func (portIn) Irreversible() string {
	return "a port-in moves numbers between carriers; cancel an open port-in order with order-cancel, or port the numbers out"
}

func (portInActivate) Irreversible() string {
	return "an activated port cannot be taken back by the API; port the numbers out"
}

// ---- tn-pin ----

var _ Snapshotter = tnPin{}

func (tnPin) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return detailValues(ctx, api, b, func(d inteliquent.TnDetailItem) Values { return Values{"port_out_pin": d.PortOutPin} })
}

func (tnPin) Applied(r record.Row, _ Values) Values {
	return Values{"port_out_pin": r.Fields["port_out_pin"]}
}

func (tnPin) Restore(r record.Row, before Values) UndoRow {
	if strings.TrimSpace(before["port_out_pin"]) == "" {
		return UndoRow{Cannot: "had no port-out PIN; portOutPinUpdate cannot remove one"}
	}
	return UndoRow{Kind: "tn-pin", Cells: map[string]string{"tn": r.Key, "port_out_pin": before["port_out_pin"]}}
}

// ---- messaging ----

// messaging's snapshot is what tnDetail shows of tnFeature.messaging
// (altSpid is not shown there, so it is neither compared nor restored).
var _ Snapshotter = messaging{}

func messagingValues(d inteliquent.TnDetailItem) Values {
	v := Values{"message_class": "", "message_type": "", "net_number_id": ""}
	if d.TnFeature != nil && d.TnFeature.Messaging != nil {
		m := d.TnFeature.Messaging
		v["message_class"], v["message_type"], v["net_number_id"] = m.MessageClass, m.MessageType, string(m.NetNumberID)
	}
	return v
}

// messaging-remove also takes the number's 10DLC campaign away, so its
// snapshot adds the campaign (tnMessagingCampaignList) and its undo
// assigns it again after messaging is back.
func (j messaging) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	out, err := detailValues(ctx, api, b, messagingValues)
	if err != nil || !j.remove {
		return out, err
	}
	camp, err := campaign{}.Snapshot(ctx, api, b)
	if err != nil {
		return nil, err
	}
	for k, v := range out {
		v["campaign_id"] = camp[k]["campaign_id"]
	}
	return out, nil
}

// Applied: the class and type the row set; the NetNumber ID only when the
// row named one (the API applies the account's default otherwise).
// messaging-remove leaves none.
func (j messaging) Applied(r record.Row, _ Values) Values {
	if j.remove {
		return Values{"message_class": "", "message_type": "", "net_number_id": "", "campaign_id": ""}
	}
	v := Values{"message_class": r.Fields["message_class"], "message_type": r.Fields["message_type"]}
	if n := r.Fields["net_number_id"]; n != "" {
		v["net_number_id"] = n
	}
	return v
}

// Restore provisions the messaging a number had, or removes it. Undoing
// messaging-remove also assigns the 10DLC campaign that went with it, in a
// campaign-assign manifest run after the messaging one.
func (j messaging) Restore(r record.Row, before Values) UndoRow {
	if strings.TrimSpace(before["message_class"]) == "" {
		return UndoRow{Kind: "messaging-remove", Cells: map[string]string{"tn": r.Key}}
	}
	u := UndoRow{Kind: "messaging", Cells: map[string]string{"tn": r.Key, "message_class": before["message_class"],
		"message_type": before["message_type"], "net_number_id": before["net_number_id"]}}
	if c := strings.TrimSpace(before["campaign_id"]); c != "" {
		u.Then = []UndoRow{{Kind: "campaign-assign", Cells: map[string]string{"tn": r.Key, "campaign_id": c}}}
	}
	return u
}

// ---- tn-forward, tf-forward ----

// Forwarding's snapshot is tnForwardList (tfForwardList), unpaginated: one
// request per batch. A number not listed forwards nowhere; undo removes
// its forwarding (remove_forward Y).
var _ Snapshotter = forwardJob{}

func (j forwardJob) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	var list []inteliquent.ForwardEntry
	if j.tollFree {
		resp, err := api.TfForwardList(ctx, &inteliquent.ForwardListRequest{})
		if err != nil {
			return nil, fmt.Errorf("snapshot: tfForwardList: %w", err)
		}
		list = resp.TfForwardList
	} else {
		resp, err := api.TnForwardList(ctx, &inteliquent.ForwardListRequest{})
		if err != nil {
			return nil, fmt.Errorf("snapshot: tnForwardList: %w", err)
		}
		list = resp.TnForwardList
	}
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"forward_to": ""}
	}
	for _, e := range list {
		if _, ok := out[string(e.TN)]; ok {
			out[string(e.TN)] = Values{"forward_to": string(e.ForwardTo)}
		}
	}
	return out, nil
}

func (forwardJob) Applied(r record.Row, _ Values) Values {
	return Values{"forward_to": r.Fields["forward_to"]}
}

func (j forwardJob) Restore(r record.Row, before Values) UndoRow {
	kind := j.Spec().Name
	if strings.TrimSpace(before["forward_to"]) == "" {
		return UndoRow{Kind: kind, Cells: map[string]string{"tn": r.Key, "remove_forward": "Y"}}
	}
	return UndoRow{Kind: kind, Cells: map[string]string{"tn": r.Key, "forward_to": before["forward_to"]}}
}

// ---- e911-notify, e911-notify-remove ----

// Notification emails are added to (or removed from) a number's list, so
// the snapshot is the list (tnE911NotificationList, one number per read,
// like the kind's requests), and undo removes what the run added or adds
// back what it removed, nothing else.
var _ Snapshotter = e911Notify{}

func (e911Notify) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	out := make(map[string]Values, len(b.Rows))
	for _, tn := range b.Keys() {
		resp, err := api.TnE911NotificationList(ctx, &inteliquent.TnE911NotificationListRequest{TnE911Notification: inteliquent.TnE911Notification{TN: inteliquent.TN(tn)}})
		switch {
		case inteliquent.Code(err) == "430":
			out[tn] = Values{"emails": ""} // none
		case inteliquent.Code(err) == "460", inteliquent.Code(err) == "461":
			// The API does not know the number (the send will be
			// refused for it, and nothing is changed): no snapshot.
		case err != nil:
			return nil, fmt.Errorf("snapshot: tnE911NotificationList: %w", err)
		default:
			out[tn] = Values{"emails": emailSet(resp.Addresses())}
		}
	}
	return out, nil
}

// emailSet is a list of emails in one canonical form: lower case, sorted,
// ";"-separated, no duplicates.
func emailSet(list []string) string {
	seen := map[string]bool{}
	var out []string
	for _, e := range list {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ";")
}

func (j e911Notify) Applied(r record.Row, before Values) Values {
	have := splitEmails(before["emails"])
	row := splitEmails(strings.ToLower(r.Fields["emails"]))
	if !j.remove {
		return Values{"emails": emailSet(append(have, row...))}
	}
	drop := map[string]bool{}
	for _, e := range row {
		drop[e] = true
	}
	var keep []string
	for _, e := range have {
		if !drop[strings.ToLower(e)] {
			keep = append(keep, e)
		}
	}
	return Values{"emails": emailSet(keep)}
}

func (j e911Notify) Restore(r record.Row, before Values) UndoRow {
	had := map[string]bool{}
	for _, e := range splitEmails(before["emails"]) {
		had[e] = true
	}
	var diff []string
	for _, e := range splitEmails(emailSet(splitEmails(r.Fields["emails"]))) {
		if had[e] == j.remove { // added and new, or removed and there
			diff = append(diff, e)
		}
	}
	if len(diff) == 0 {
		return UndoRow{Skip: "the run changed no email of this number"}
	}
	kind := "e911-notify-remove"
	if j.remove {
		kind = "e911-notify"
	}
	return UndoRow{Kind: kind, Cells: map[string]string{"tn": r.Key, "emails": strings.Join(diff, ";")}}
}

// ---- tf-routing ----

var _ Snapshotter = tfRouting{}

func (tfRouting) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := tfAccountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(d))
	for tn, item := range d {
		out[tn] = Values{"routing_label": item.RoutingLabel}
	}
	return out, nil
}

func (tfRouting) Applied(r record.Row, _ Values) Values {
	return Values{"routing_label": r.Fields["routing_label"]}
}

func (tfRouting) Restore(r record.Row, before Values) UndoRow {
	if strings.TrimSpace(before["routing_label"]) == "" {
		return UndoRow{Cannot: "had no routing label before the run; tfUpdate cannot remove one"}
	}
	return UndoRow{Kind: "tf-routing", Cells: map[string]string{"tn": r.Key, "routing_label": before["routing_label"]}}
}
