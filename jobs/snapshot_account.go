package jobs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// Undo of the account-level kinds (issue 20): customer-e911-notify,
// account-default and trunk-group-update. Their rows are keyed by an email,
// "account" and a trunk-group name, not by a number.

// ---- customer-e911-notify ----

// The snapshot is whether the row's address was on the customer's list
// (customerE911NotificationList, one read per batch); undo removes what
// the run added and adds back what it removed.
var _ Snapshotter = customerE911Notify{}

func (customerE911Notify) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	resp, err := api.CustomerE911NotificationList(ctx, &inteliquent.CustomerE911NotificationListRequest{})
	if err != nil && inteliquent.Code(err) != "430" {
		return nil, fmt.Errorf("snapshot: customerE911NotificationList: %w", err)
	}
	listed := map[string]bool{}
	for _, e := range resp.Addresses() {
		listed[strings.ToLower(strings.TrimSpace(e))] = true
	}
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"listed": yn(listed[k])}
	}
	return out, nil
}

func (customerE911Notify) Applied(r record.Row, _ Values) Values {
	return Values{"listed": yn(r.Fields["remove"] != "Y")}
}

func (customerE911Notify) Restore(r record.Row, before Values) UndoRow {
	remove := "Y"
	if before["listed"] == "Y" {
		remove = "N"
	}
	return UndoRow{Kind: "customer-e911-notify", Cells: map[string]string{"email": r.Fields["email"], "remove": remove}}
}

// ---- account-default ----

// The snapshot is the whole of accountDefaultDetail in the manifest's
// columns; undo sends back, through account-default's own read-merge-send,
// every column the run changed ("-" clears one that was empty).
var (
	_ Snapshotter     = accountDefault{}
	_ PartialRestorer = accountDefault{}
)

func (accountDefault) Snapshot(ctx context.Context, api *inteliquent.Client, _ *Batch) (map[string]Values, error) {
	cur, err := api.AccountDefaultDetail(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapshot: accountDefaultDetail: %w", err)
	}
	cd := inteliquent.DefaultsFromDetail(&cur.AccountDefaultDetail)
	return map[string]Values{"account": defaultsValues(&cd)}, nil
}

// defaultsValues are the defaults in account-default's columns.
func defaultsValues(cd *inteliquent.CustomerDefault) Values {
	v := Values{}
	for _, c := range accountDefaultColumns {
		v[c.name] = ""
	}
	v["contact_first_name"], v["contact_last_name"], v["contact_email"] = cd.ContactFirstName, cd.ContactLastName, cd.ContactEmail
	v["desired_port_time"], v["desired_port_time_zone"], v["port_out_pin"] = cd.DesiredPortTime, cd.DesiredPortTimeZone, cd.PortOutPin
	v["cnam_dip"], v["cnam_dip_tf"], v["webhook_url"], v["webhook_header"] = cd.CnamDip, cd.CnamDipTf, cd.WebhookURL, cd.WebhookHeader
	v["authorize_webhook_portout"], v["ip_filtering_enabled"], v["ip_range"] = cd.AuthorizeWebhookPortout, cd.IPFilteringEnabled, cd.IPRange
	v["email_domain"], v["slo_url"] = cd.EmailDomain, cd.SloURL
	if cd.PortOutContactList != nil {
		var cs []string
		for _, c := range cd.PortOutContactList.PortOutContactItem {
			cs = append(cs, strings.TrimSpace(c.ContactFirstName+" "+c.ContactLastName)+" <"+c.ContactEmail+">")
		}
		v["port_out_contacts"] = strings.Join(cs, "; ")
	}
	return v
}

func (accountDefault) Applied(r record.Row, before Values) Values {
	v := Values{}
	for k, s := range before {
		v[k] = s
	}
	for k, s := range r.Fields {
		if s == clearValue {
			s = ""
		}
		v[k] = s
	}
	if r.Fields["webhook_url"] == clearValue {
		v["webhook_header"] = ""
	}
	if cs, ok := r.Fields["port_out_contacts"]; ok && cs != clearValue {
		if list, err := parseContacts(cs); err == nil {
			cd := inteliquent.CustomerDefault{PortOutContactList: &inteliquent.PortOutContactList{PortOutContactItem: list}}
			v["port_out_contacts"] = defaultsValues(&cd)["port_out_contacts"]
		}
	}
	return v
}

// clearable are the columns account-default can empty ("-"); the others
// take a value (Y or N, an email, a time).
var clearable = map[string]bool{"webhook_url": true, "webhook_header": true, "port_out_contacts": true, "ip_range": true,
	"port_out_pin": true, "email_domain": true, "slo_url": true}

func (j accountDefault) Restore(r record.Row, before Values) UndoRow {
	u, _ := j.undo(r, before)
	return u
}

func (j accountDefault) Restored(r record.Row, before Values) Values {
	_, v := j.undo(r, before)
	return v
}

func (j accountDefault) undo(r record.Row, before Values) (UndoRow, Values) {
	set := j.Applied(r, before)
	restored := Values{}
	for k, v := range before {
		restored[k] = v
	}
	cells := map[string]string{}
	var partly []string
	for _, c := range accountDefaultColumns {
		was, now := strings.TrimSpace(before[c.name]), strings.TrimSpace(set[c.name])
		switch {
		case strings.EqualFold(was, now):
		case was != "":
			cells[c.name] = was
		case clearable[c.name]:
			cells[c.name] = clearValue
		default:
			partly = append(partly, c.name+" had no value before the run; accountDefault cannot empty it")
			restored[c.name] = now
		}
	}
	// A webhook URL goes with its authorization setting.
	if u := cells["webhook_url"]; u != "" && u != clearValue && cells["authorize_webhook_portout"] == "" {
		cells["authorize_webhook_portout"] = before["authorize_webhook_portout"]
	}
	if len(cells) == 0 {
		if len(partly) > 0 {
			return UndoRow{Cannot: strings.Join(partly, "; ")}, restored
		}
		return UndoRow{Skip: "the run changed no default"}, restored
	}
	return UndoRow{Kind: "account-default", Cells: cells, Partly: partly}, restored
}

// ---- trunk-group-update ----

// The snapshot is whether the old and the new name were on the account
// (trunkGroupSearchAssigned); undo renames the group back (destructive,
// like the rename: --yes outside the sandbox).
var _ Snapshotter = trunkGroupUpdate{}

func (trunkGroupUpdate) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	tg, err := api.TrunkGroupSearchAssigned(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot: trunkGroupSearchAssigned: %w", err)
	}
	names := tg.Names()
	out := make(map[string]Values, len(b.Rows))
	for _, r := range b.Rows {
		out[r.Key] = Values{"current": yn(slices.Contains(names, r.Fields["trunk_group"])), "new": yn(slices.Contains(names, r.Fields["new_trunk_group"]))}
	}
	return out, nil
}

func (trunkGroupUpdate) Applied(record.Row, Values) Values {
	return Values{"current": "N", "new": "Y"}
}

func (trunkGroupUpdate) Restore(r record.Row, before Values) UndoRow {
	if before["current"] != "Y" || before["new"] == "Y" {
		return UndoRow{Skip: "the account did not hold the old name alone before the run; nothing to rename back"}
	}
	return UndoRow{Kind: "trunk-group-update", Cells: map[string]string{"trunk_group": r.Fields["new_trunk_group"], "new_trunk_group": r.Fields["trunk_group"]}}
}
