package jobs

import (
	"context"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// messaging provisions (or, as messaging-remove, removes) messaging on
// numbers with tnMessaging, one number per request (the guide's operation
// is synchronous and takes one number). Its 425 ("Unable to provision
// messaging for this TN. Please contact Inteliquent messaging team.")
// excludes the row with that text.
type messaging struct{ remove bool }

func (j messaging) Spec() Spec {
	if j.remove {
		return Spec{
			Name:        "messaging-remove",
			Summary:     "remove messaging from numbers (tnMessaging with removeMessaging=Y), one number per request",
			Operations:  []string{inteliquent.OpTnMessaging},
			Columns:     []Column{tnColumn()},
			Destructive: true,
			BatchSize:   1,
		}
	}
	col := func(name string, aliases []string, req bool, help, ex string) Column {
		return Column{Column: readers.Column{Name: name, Aliases: aliases, Required: req, Help: help}, Example: ex}
	}
	return Spec{
		Name:       "messaging",
		Summary:    "provision messaging on numbers (tnMessaging), one number per request",
		Operations: []string{inteliquent.OpTnMessaging},
		Columns: []Column{
			tnColumn(),
			col("message_class", []string{"messageclass", "message class", "class"}, true, "P2P, A2PLC or A2P8XX", "A2PLC"),
			col("message_type", []string{"messagetype", "message type", "type"}, true, "SMS, MMS, SMSMMS, SMS_ALT, MMS_ALT or SMSMMS_ALT", "SMSMMS"),
			col("net_number_id", []string{"netnumberid", "net number id", "nnid"}, false, "NetNumber ID (NNID) configured on the account; default if empty", ""),
			col("alt_spid", []string{"altspid", "alt spid", "alt sp id"}, false, "alternative SPID", ""),
		},
		BatchSize: 1,
	}
}

func (j messaging) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	if j.remove {
		return Parsed{Key: tn, Fields: map[string]string{}}, errs
	}
	check := func(col string, rules ...readers.Rule) string {
		v := strings.TrimSpace(r.Get(col))
		for _, rule := range rules {
			out, err := rule(v)
			if err != nil {
				errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: err.Error()})
				return v
			}
			v = out
		}
		return v
	}
	f := map[string]string{
		"message_class": check("message_class", readers.Required, readers.OneOf(inteliquent.MessageClasses...)),
		"message_type":  check("message_type", readers.Required, readers.OneOf(inteliquent.MessageTypes...)),
		"net_number_id": check("net_number_id", readers.MaxLenFor("messaging.netNumberId")),
		"alt_spid":      check("alt_spid", readers.MaxLenFor("messaging.altSpid")),
	}
	return Parsed{Key: tn, Fields: f}, errs
}

func (j messaging) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	if j.remove {
		return &inteliquent.TnMessagingRequest{TN: inteliquent.TN(row.Key), RemoveMessaging: "Y"}, nil
	}
	f := row.Fields
	return &inteliquent.TnMessagingRequest{TN: inteliquent.TN(row.Key), MessageClass: f["message_class"],
		MessageType: f["message_type"], NetNumberID: f["net_number_id"], AltSpid: f["alt_spid"]}, nil
}

func (messaging) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.TnMessaging(ctx, req.(*inteliquent.TnMessagingRequest))
	if err != nil {
		return refusal(err, "425")
	}
	return resp, nil
}

func (j messaging) Read(b *Batch, resp any) Result {
	o := record.Outcome{Status: record.StatusOK, Message: "messaging provisioned"}
	if j.remove {
		o.Message = "messaging removed"
	}
	if r, ok := resp.(*notifyRefusal); ok {
		o = refusedOutcome(r.err)
	}
	return Result{Rows: []record.RowOutcome{{Seq: b.Rows[0].Seq, Outcome: o}}}
}
