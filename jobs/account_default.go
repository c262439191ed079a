package jobs

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// accountDefault changes the account's default settings (the guide's
// "Update Account Default Settings", POST /accountDefault). The guide warns
// that webhookUrl, webhookHeader and portOutContactList are "overwritten to
// null if not sent", so the job reads the current defaults
// (accountDefaultDetail), changes only the columns the row fills, and sends
// the merged whole. An empty cell keeps the current value; "-" clears a
// field the API lets be empty (webhook_url with webhook_header,
// port_out_contacts, ip_range). The account has one set of defaults: the
// manifest's first row is used, later rows are duplicates. Sending the same
// whole again changes nothing, so it is idempotent.
type accountDefault struct{}

// accountDefaultColumns: column, the guide's parameter, help, example.
var accountDefaultColumns = []struct{ name, param, help, example string }{
	{"contact_first_name", "contactFirstName", "first name of the API contact", "API"},
	{"contact_last_name", "contactLastName", "last name of the API contact", "Notices"},
	{"contact_email", "contactEmail", "email where API updates are sent", "API@email.com"},
	{"desired_port_time", "desiredPortTime", "default port time, HH:MM", "14:00"},
	{"desired_port_time_zone", "desiredPortTimeZone", "US/Eastern, US/Central, US/Mountain, US/Pacific or GMT", "US/Pacific"},
	{"port_out_pin", "portOutPin", "company-level port-out PIN", ""},
	{"cnam_dip", "cnamDip", "Y or N", "Y"},
	{"cnam_dip_tf", "cnamDipTf", "Y or N", ""},
	{"webhook_url", "webhookUrl", "order and port webhook URL (- clears it and the header)", "https://hooks.example.com/iq"},
	{"webhook_header", "webhookHeader", "Authorization header value sent with webhooks", ""},
	{"authorize_webhook_portout", "authorizeWebhookPortout", "Y or N; required with a webhook", "Y"},
	{"ip_filtering_enabled", "ipFilteringEnabled", "Y or N", ""},
	{"ip_range", "ipRange", "allowed IP range, required with ip_filtering_enabled Y (- clears it)", ""},
	{"email_domain", "emailDomain", "SSO email domains, comma separated", ""},
	{"slo_url", "sloURL", "single logout URL", ""},
	{"port_out_contacts", "portOutContactList", "port-out contacts: First Last <email>; ... (- clears them)", "Test Email <test@email.com>"},
}

const clearValue = "-"

func (accountDefault) Spec() Spec {
	cols := make([]Column, len(accountDefaultColumns))
	for i, c := range accountDefaultColumns {
		cols[i] = col(c.name, false, c.help+" ("+c.param+"; empty keeps the current value)", c.example, strings.ToLower(c.param), strings.ReplaceAll(c.name, "_", " "))
	}
	return Spec{
		Name:       "account-default",
		Summary:    "change the account's default settings: reads them first and sends the merged whole (a partial update would blank the webhook and port-out contacts)",
		Operations: []string{inteliquent.OpAccountDefaultDetail, inteliquent.OpAccountDefault},
		Columns:    cols,
		Outputs:    []string{"changed"},
		BatchSize:  1,
	}
}

// parseContacts reads "First Last <email>; ..." into contacts.
func parseContacts(s string) ([]inteliquent.PortOutContact, error) {
	var out []inteliquent.PortOutContact
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		a, err := mail.ParseAddress(part)
		if err != nil {
			return nil, fmt.Errorf("%q: want First Last <email>", part)
		}
		first, last, _ := strings.Cut(strings.TrimSpace(a.Name), " ")
		out = append(out, inteliquent.PortOutContact{ContactFirstName: first, ContactLastName: strings.TrimSpace(last), ContactEmail: a.Address})
	}
	return out, nil
}

func (accountDefault) Parse(r Row) (Parsed, []error) {
	var errs []error
	f := map[string]string{}
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	for _, c := range accountDefaultColumns {
		v := strings.TrimSpace(r.Get(c.name))
		if v == "" {
			continue
		}
		f[c.name] = v
		switch c.name {
		case "cnam_dip", "cnam_dip_tf", "authorize_webhook_portout", "ip_filtering_enabled":
			if up := strings.ToUpper(v); up != "Y" && up != "N" {
				bad(c.name, v, "is not Y or N")
			} else {
				f[c.name] = up
			}
		case "desired_port_time_zone":
			if !slices.Contains([]string{"US/Eastern", "US/Central", "US/Mountain", "US/Pacific", "GMT"}, v) {
				bad(c.name, v, "is not US/Eastern, US/Central, US/Mountain, US/Pacific or GMT")
			}
		case "desired_port_time":
			if len(v) != 5 || v[2] != ':' || !isDigitsOnly(v[:2]+v[3:]) || v[:2] > "23" || v[3:] > "59" {
				bad(c.name, v, "is not HH:MM")
			}
		case "contact_email":
			if _, err := mail.ParseAddress(v); err != nil {
				bad(c.name, v, "is not an email address")
			}
		case "port_out_contacts":
			if v != clearValue {
				if _, err := parseContacts(v); err != nil {
					bad(c.name, v, err.Error())
				}
			}
		}
	}
	if len(f) == 0 && len(errs) == 0 {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "contact_first_name", Reason: "the row changes nothing: fill at least one column"})
	}
	if f["webhook_url"] != "" && f["webhook_url"] != clearValue && f["authorize_webhook_portout"] == "" {
		bad("authorize_webhook_portout", "", "is required with webhook_url")
	}
	return Parsed{Key: "account", Fields: f}, errs
}

// accountDefaultPlan is Build's output: the row's changes. Send merges them
// into the current defaults.
type accountDefaultPlan struct{ Changes map[string]string }

// accountDefaultSent is Send's answer.
type accountDefaultSent struct {
	resp    *inteliquent.StatusResponse
	changed []string
}

func (accountDefault) Build(b *Batch) (any, error) {
	return &accountDefaultPlan{Changes: b.Rows[0].Fields}, nil
}

// merge applies changes to the current defaults and names the fields that
// differ.
func mergeDefaults(cd *inteliquent.CustomerDefault, ch map[string]string) ([]string, error) {
	var changed []string
	set := func(name string, dst *string) {
		v, ok := ch[name]
		if !ok {
			return
		}
		if v == clearValue {
			v = ""
		}
		if *dst != v {
			*dst = v
			changed = append(changed, name)
		}
	}
	set("contact_first_name", &cd.ContactFirstName)
	set("contact_last_name", &cd.ContactLastName)
	set("contact_email", &cd.ContactEmail)
	set("desired_port_time", &cd.DesiredPortTime)
	set("desired_port_time_zone", &cd.DesiredPortTimeZone)
	set("port_out_pin", &cd.PortOutPin)
	set("cnam_dip", &cd.CnamDip)
	set("cnam_dip_tf", &cd.CnamDipTf)
	set("webhook_url", &cd.WebhookURL)
	set("webhook_header", &cd.WebhookHeader)
	if ch["webhook_url"] == clearValue {
		if cd.WebhookHeader != "" {
			cd.WebhookHeader = ""
			changed = append(changed, "webhook_header")
		}
	}
	set("authorize_webhook_portout", &cd.AuthorizeWebhookPortout)
	set("ip_filtering_enabled", &cd.IPFilteringEnabled)
	set("ip_range", &cd.IPRange)
	set("email_domain", &cd.EmailDomain)
	set("slo_url", &cd.SloURL)
	if v, ok := ch["port_out_contacts"]; ok {
		var list *inteliquent.PortOutContactList
		if v != clearValue {
			cs, err := parseContacts(v)
			if err != nil {
				return nil, err
			}
			list = &inteliquent.PortOutContactList{PortOutContactItem: cs}
		}
		if fmt.Sprint(list) != fmt.Sprint(cd.PortOutContactList) {
			cd.PortOutContactList = list
			changed = append(changed, "port_out_contacts")
		}
	}
	return changed, nil
}

func (accountDefault) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	plan := req.(*accountDefaultPlan)
	cur, err := api.AccountDefaultDetail(ctx)
	if err != nil {
		return nil, fmt.Errorf("accountDefaultDetail: %w", err)
	}
	whole := inteliquent.DefaultsFromDetail(&cur.AccountDefaultDetail)
	changed, err := mergeDefaults(&whole, plan.Changes)
	if err != nil {
		return nil, err
	}
	resp, err := api.AccountDefault(ctx, &inteliquent.AccountDefaultRequest{CustomerDefault: whole})
	if err != nil {
		return nil, err
	}
	return &accountDefaultSent{resp: resp, changed: changed}, nil
}

func (accountDefault) Read(b *Batch, resp any) Result {
	s := resp.(*accountDefaultSent)
	msg := "no change: the defaults already held these values"
	if len(s.changed) > 0 {
		msg = "changed " + strings.Join(s.changed, ", ") + "; every other setting sent back as it was"
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpAccountDefault, Message: msg,
		Extra: map[string]string{"changed": strings.Join(s.changed, " ")}})
}
