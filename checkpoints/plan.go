package checkpoints

import (
	"fmt"

	"github.com/iqbulk/iqbulk/record"
)

const batchCols = "id, group_key, state, customer_order_reference, request_hash, attempts, order_id, error, rows, sent_at, done_at, last_sent_at"

func batchArgs(b Batch) []any {
	return []any{b.ID, b.GroupKey, b.State, b.CustomerOrderReference, b.RequestHash, b.Attempts,
		b.OrderID, b.Error, b.Rows, fmtTime(b.SentAt), fmtTime(b.DoneAt), fmtTime(b.LastSentAt)}
}

func scanBatch(sc scanner) (Batch, error) {
	var (
		b                Batch
		sent, done, last string
		err              error
	)
	if err = sc.Scan(&b.ID, &b.GroupKey, &b.State, &b.CustomerOrderReference, &b.RequestHash, &b.Attempts,
		&b.OrderID, &b.Error, &b.Rows, &sent, &done, &last); err != nil {
		return Batch{}, err
	}
	if b.LastSentAt, err = parseTime(last); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if b.SentAt, err = parseTime(sent); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if b.DoneAt, err = parseTime(done); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	return b, nil
}

func validStatus(s string) bool { return record.ValidStatus(s) }
