package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// This file holds the E911 notification-email kinds:
//
//   - e911-notify / e911-notify-remove: tnE911Notification, one number per
//     request, with up to 10 emails per row (the guide's limit is 10 per
//     number, cumulative: the API answers 460 past it). 460 and 461 (number
//     not on the account) exclude the row with the API's text.
//   - customer-e911-notify: customerE911Notification, the customer-level
//     list that receives unprovisioned-E911 alerts; one row per email, all
//     sent in one call (at most 10), a remove column (Y) to take some off.

// splitEmails reads a cell of emails separated by ";", "," or spaces.
func splitEmails(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\n' || r == '\t' })
	var out []string
	seen := map[string]bool{}
	for _, e := range f {
		if k := strings.ToLower(e); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// validEmail checks "a fully qualified email address" (the guide): one @,
// a local part and a domain with a dot.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') {
		return false
	}
	dom := s[at+1:]
	dot := strings.LastIndexByte(dom, '.')
	return dot > 0 && dot < len(dom)-1 && e911Printable(s)
}

func parseEmails(r Row, col string, errs *[]error) string {
	raw := strings.TrimSpace(r.Get(col))
	emails := splitEmails(raw)
	switch {
	case len(emails) == 0:
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Reason: "is required"})
	case len(emails) > inteliquent.MaxNotificationEmails:
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: raw,
			Reason: fmt.Sprintf("has %d addresses, the limit is %d per number", len(emails), inteliquent.MaxNotificationEmails)})
	}
	for _, e := range emails {
		if !validEmail(e) {
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: e, Reason: "is not a fully qualified email address"})
		}
	}
	return strings.Join(emails, ";")
}

// notifyRefusal turns the per-number codes of the notification calls into
// an answer for Read; other errors go back to the pipeline.
type notifyRefusal struct{ err error }

func refusal(err error, codes ...string) (any, error) {
	c := inteliquent.Code(err)
	for _, want := range codes {
		if c == want {
			return &notifyRefusal{err}, nil
		}
	}
	return nil, err
}

func refusedOutcome(err error) record.Outcome {
	var ae *inteliquent.APIError
	msg := err.Error()
	if errors.As(err, &ae) && ae.Status != "" {
		msg = ae.Status
	}
	return record.Outcome{Status: record.StatusExcluded, Code: inteliquent.Code(err), Message: msg}
}

type e911Notify struct{ remove bool }

func (j e911Notify) Spec() Spec {
	s := Spec{
		Name:       "e911-notify",
		Summary:    "add E911 notification emails to numbers (tnE911Notification; up to 10 per number)",
		Operations: []string{inteliquent.OpTnE911Notification},
		Columns: []Column{tnColumn(), {Column: readers.Column{Name: "emails", Aliases: []string{"email", "email list", "email_list", "notification emails", "notification_emails"},
			Required: true, Help: "up to 10 email addresses, separated by ; or ,"}, Example: "noc@example.com;security@example.com"}},
		Outputs:   []string{"emails_now"},
		BatchSize: 1,
	}
	if j.remove {
		s.Name = "e911-notify-remove"
		s.Summary = "remove E911 notification emails from numbers (tnE911Notification with removeNotification=Y)"
	}
	return s
}

func (e911Notify) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{"emails": parseEmails(r, "emails", &errs)}}, errs
}

func (j e911Notify) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	req := &inteliquent.TnE911NotificationRequest{TnE911Notification: inteliquent.TnE911Notification{
		TN: inteliquent.TN(row.Key), EmailList: inteliquent.Emails(splitEmails(row.Fields["emails"])...)}}
	if j.remove {
		req.RemoveNotification = "Y"
	}
	return req, nil
}

func (e911Notify) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.TnE911Notification(ctx, req.(*inteliquent.TnE911NotificationRequest))
	if err != nil {
		return refusal(err, "460", "461")
	}
	return resp, nil
}

func (j e911Notify) Read(b *Batch, resp any) Result {
	var o record.Outcome
	switch r := resp.(type) {
	case *notifyRefusal:
		o = refusedOutcome(r.err)
	case *inteliquent.TnE911NotificationResponse:
		o = j.readNotification(b.Rows[0], r)
	}
	return Result{Rows: []record.RowOutcome{{Seq: b.Rows[0].Seq, Outcome: o}}}
}

// readNotification reads a tnE911Notification answer strictly: the guide
// says a successful answer carries tnE911Notification with "tn", "Ten-digit
// telephone number from the request" (guide lines 3745–3746; example 3776–3795), and its
// emailList is the number's list now. The row is ok only when the answer
// is about the row's number and its list shows the change (every address
// added is there; every address removed is gone). Otherwise whether the
// API changed this number's list is unknown: in doubt, with the API's words.
func (j e911Notify) readNotification(row record.Row, r *inteliquent.TnE911NotificationResponse) record.Outcome {
	now := r.Addresses()
	extra := map[string]string{"emails_now": strings.Join(now, ";")}
	var answered inteliquent.TN
	if r.TnE911Notification != nil {
		answered = r.TnE911Notification.TN
	}
	if why := aboutOtherNumber(inteliquent.OpTnE911Notification, row.Key, answered, true); why != "" {
		return record.Outcome{Status: record.StatusInDoubt, Code: inteliquent.OpTnE911Notification,
			Message: fmt.Sprintf("%s (status %q); run iqbulk resume RUN_DIR", why, r.Status), Extra: extra}
	}
	has := map[string]bool{}
	for _, e := range now {
		has[strings.ToLower(strings.TrimSpace(e))] = true
	}
	var off []string
	for _, e := range splitEmails(row.Fields["emails"]) {
		if has[strings.ToLower(strings.TrimSpace(e))] == j.remove {
			off = append(off, e)
		}
	}
	if len(off) > 0 {
		want := "not on"
		if j.remove {
			want = "still on"
		}
		return record.Outcome{Status: record.StatusInDoubt, Code: inteliquent.OpTnE911Notification,
			Message: fmt.Sprintf("the answer's emailList for %s shows %s %s it; run iqbulk resume RUN_DIR", row.Key, strings.Join(off, ";"), want), Extra: extra}
	}
	return record.Outcome{Status: record.StatusOK, Message: fmt.Sprintf("%d notification emails now", len(now)), Extra: extra}
}

// ---- customer-e911-notify ----

type customerE911Notify struct{}

func (customerE911Notify) Spec() Spec {
	return Spec{
		Name:       "customer-e911-notify",
		Summary:    "set the customer-level emails for unprovisioned-E911 alerts (customerE911Notification; one call, at most 10)",
		Operations: []string{inteliquent.OpCustomerE911Notification},
		Columns: []Column{
			{Column: readers.Column{Name: "email", Aliases: []string{"emails", "email address", "notification email"}, Required: true, Help: "one email address"}, Example: "noc@example.com"},
			{Column: readers.Column{Name: "remove", Aliases: []string{"remove notification", "removenotification", "delete"}, Help: "Y to remove the address instead of adding it"}, Example: "N"},
		},
		Outputs:   []string{"emails_now"},
		BatchSize: inteliquent.MaxNotificationEmails,
	}
}

func (customerE911Notify) Parse(r Row) (Parsed, []error) {
	var errs []error
	email := strings.TrimSpace(r.Get("email"))
	switch {
	case email == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "email", Reason: "is required"})
	case !validEmail(email):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "email", Value: email, Reason: "is not a fully qualified email address"})
	}
	remove, err := readers.YN(strings.TrimSpace(r.Get("remove")))
	if err != nil {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "remove", Value: r.Get("remove"), Reason: err.Error()})
	}
	if remove != "Y" {
		remove = "N"
	}
	return Parsed{Key: strings.ToLower(email), Group: remove, Fields: map[string]string{"email": email, "remove": remove}}, errs
}

func (customerE911Notify) Build(b *Batch) (any, error) {
	req := &inteliquent.CustomerE911NotificationRequest{}
	var emails []string
	for _, r := range b.Rows {
		emails = append(emails, r.Fields["email"])
		if r.Fields["remove"] == "Y" {
			req.RemoveNotification = "Y"
		}
	}
	req.CustomerNotification.EmailList = inteliquent.Emails(emails...)
	return req, nil
}

func (customerE911Notify) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.CustomerE911Notification(ctx, req.(*inteliquent.CustomerE911NotificationRequest))
	if err != nil {
		return refusal(err, "460")
	}
	return resp, nil
}

func (customerE911Notify) Read(b *Batch, resp any) Result {
	o := record.Outcome{}
	switch r := resp.(type) {
	case *notifyRefusal:
		o = refusedOutcome(r.err)
	case *inteliquent.CustomerE911NotificationResponse:
		// Each row is one address: ok only when the answer's emailList
		// (the customer's whole list now; the guide's answer, lines
		// 4162–4178) shows it added, or gone when removed; otherwise
		// whether the API changed it is unknown.
		now := r.Addresses()
		has := map[string]bool{}
		for _, e := range now {
			has[strings.ToLower(strings.TrimSpace(e))] = true
		}
		extra := map[string]string{"emails_now": strings.Join(now, ";")}
		var res Result
		for _, row := range b.Rows {
			email, remove := row.Fields["email"], row.Fields["remove"] == "Y"
			out := record.Outcome{Status: record.StatusOK, Message: fmt.Sprintf("%d customer notification emails now", len(now)), Extra: extra}
			if has[strings.ToLower(strings.TrimSpace(email))] == remove {
				want := "does not show " + email
				if remove {
					want = "still shows " + email
				}
				out = record.Outcome{Status: record.StatusInDoubt, Code: inteliquent.OpCustomerE911Notification, Extra: extra,
					Message: fmt.Sprintf("the answer's emailList %s (status %q); run iqbulk resume RUN_DIR", want, r.Status)}
			}
			res.Rows = append(res.Rows, record.RowOutcome{Seq: row.Seq, Outcome: out})
		}
		return res
	}
	return setAllOutcome(b, o)
}
