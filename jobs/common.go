package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnColumn is the telephone-number column every TN job has.
func tnColumn() Column {
	return Column{Column: readers.Column{Name: "tn", Aliases: []string{"telephone number", "telephonenumber", "number", "phone", "phone number", "did"}, Required: true, Help: "ten-digit telephone number"}, Example: "3125550100"}
}

// parseTN normalises the row's tn column, reporting a FieldError naming it.
func parseTN(r Row, errs *[]error) string {
	raw := r.Get("tn")
	if raw == "" {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Reason: "is required"})
		return ""
	}
	tn, err := readers.NormalizeTN(raw)
	if err != nil {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Value: raw, Reason: err.Error()})
		return ""
	}
	return tn
}

// maxLen checks an optional field against one of the guide's limits.
func maxLen(r Row, col string, n int, errs *[]error) string {
	v := r.Get(col)
	if l := len([]rune(v)); l > n {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: fmt.Sprintf("is %d characters, the limit is %d", l, n)})
	}
	return v
}

// byKey indexes a batch's rows by key, so answers are matched to rows by
// number, never by position.
func byKey(b *Batch) map[string]record.Row {
	m := make(map[string]record.Row, len(b.Rows))
	for _, r := range b.Rows {
		m[r.Key] = r
	}
	return m
}

// readStatus turns a list operation's answer — statusCode 200 with per-number
// exclusions hidden in the status string, e.g. "{2=[6123453624 TN is on an
// existing order]}", or "Success" — into one outcome per row, read strictly
// (DESIGN.md rule 4): numbers the status names are excluded with its reason;
// the others are ok only when the status says so for them, that is when it
// is "Success" or names nothing but numbers of this batch. A status that
// cannot be parsed, is empty, or has an entry that names no number of the
// batch (a reason alone, a key that is not a ten-digit number, another
// number) proves nothing for the rows it does not name: they are in doubt,
// with the API's words kept verbatim, and reconciled by lookup.
func readStatus(b *Batch, op, status, orderID string, ok record.Outcome) Result {
	res := Result{OrderID: orderID}
	parsed := inteliquent.ParseTNStatus(status)
	rows := byKey(b)
	excluded := map[string]string{}
	var unclear []string // entries that name no row of the batch
	if parsed.Parsed {
		for _, e := range parsed.Entries {
			if _, ours := rows[string(e.TN)]; ours && e.TN != "" {
				excluded[string(e.TN)] = e.Reason
				continue
			}
			unclear = append(unclear, strings.TrimSpace(string(e.TN)+" "+e.Reason))
		}
	}
	doubt := ""
	switch {
	case !parsed.Parsed:
		doubt = fmt.Sprintf("the answer's status cannot be read as per-number results: %q", strings.TrimSpace(status))
	case len(unclear) > 0:
		doubt = fmt.Sprintf("the answer's status names no number of this batch (%s): %q", strings.Join(unclear, "; "), strings.TrimSpace(status))
	}
	partial := ""
	if doubt == "" && len(excluded) > 0 {
		partial = partialStatus(status, len(excluded))
	}
	today := time.Now().UTC().Format("2006-01-02")
	for _, r := range b.Rows {
		if reason, bad := excluded[r.Key]; bad {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusExcluded, Code: op, Message: reason, OrderID: orderID}})
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", OrderID: orderID,
				CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: reason, InsertDate: today})
			continue
		}
		o := ok
		if doubt != "" {
			o = record.Outcome{Status: record.StatusInDoubt, Code: op, Message: doubt}
		} else if partial != "" {
			o.Message = strings.TrimPrefix(o.Message+"; "+partial, "; ")
		}
		o.OrderID = orderID
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res
}

// maxStatusText bounds the answer's status text repeated on each row that
// went through: a 200-number batch's status can name every other number.
const maxStatusText = 240

// partialPrefix starts partialStatus's text.
const partialPrefix = "the answer excluded "

// partialStatus is what the rows that went through say of a partial
// success (a 200 answer whose status excludes some numbers, e.g. "{2=[6123453624
// TN is on an existing order]}"): how many numbers the answer excluded and
// its status text, shortened when long (every excluded number is also in
// its own row and in excluded.csv).
func partialStatus(status string, excluded int) string {
	text := strings.TrimSpace(status)
	if r := []rune(text); len(r) > maxStatusText {
		text = string(r[:maxStatusText]) + "…"
	}
	n := "1 number"
	if excluded != 1 {
		n = fmt.Sprintf("%d numbers", excluded)
	}
	return partialPrefix + n + " of this batch (excluded.csv); its status: " + text
}

// withPartialStatus keeps, through follow-up, what the send's answer said
// of a partial success: msg, the row's new message, followed by the
// partialStatus part of prev, its message so far, if it has one.
func withPartialStatus(msg, prev string) string {
	i := strings.Index(prev, partialPrefix)
	if i < 0 || strings.Contains(msg, partialPrefix) {
		return msg
	}
	return strings.TrimPrefix(msg+"; "+prev[i:], "; ")
}

// aboutOtherNumber reads the number an answer says it is about (the guide's
// single-number answers echo "tn", e.g. tnCsrLookup's and tnE911Validate's
// examples, guide lines 7424 and 3504) and returns, when it is not the row's, why
// the answer proves nothing for the row; "" when it is the row's. An
// answer that names no number proves nothing either (required says whether
// the guide's answer always carries it).
func aboutOtherNumber(op, rowKey string, answered inteliquent.TN, required bool) string {
	a := strings.TrimSpace(string(answered))
	if a == "" {
		if required {
			return op + "'s answer names no number, so it says nothing about " + rowKey
		}
		return ""
	}
	if n, err := readers.NormalizeTN(a); err == nil && n == rowKey {
		return ""
	}
	return fmt.Sprintf("%s answered about %s, not about this row's %s", op, a, rowKey)
}
