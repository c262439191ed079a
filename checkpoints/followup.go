package checkpoints

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"
)

const orderCols = "order_id, customer_order_reference, batch, status, final, polls, checked_at, detail"

// PutOrder inserts or replaces the order with o.OrderID.
func (s *Store) PutOrder(ctx context.Context, o Order) error {
	if o.OrderID == "" {
		return fmt.Errorf("checkpoints: put order: empty order id: %w", ErrInvalid)
	}
	return s.write(ctx, "put order "+o.OrderID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO orders (`+orderCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET customer_order_reference = excluded.customer_order_reference,
			batch = excluded.batch, status = excluded.status, final = excluded.final, polls = excluded.polls,
			checked_at = excluded.checked_at, detail = excluded.detail`,
			o.OrderID, o.CustomerOrderReference, o.Batch, o.Status, o.Final, o.Polls, fmtTime(o.CheckedAt), o.Detail)
		return err
	})
}

// Orders returns the orders (only those not final when openOnly), by batch
// then order id.
func (s *Store) Orders(ctx context.Context, openOnly bool) ([]Order, error) {
	q := "SELECT " + orderCols + " FROM orders"
	if openOnly {
		q += " WHERE final = 0"
	}
	q += " ORDER BY batch, order_id"
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: orders: %w", err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		var (
			o       Order
			checked string
		)
		if err := rows.Scan(&o.OrderID, &o.CustomerOrderReference, &o.Batch, &o.Status, &o.Final, &o.Polls,
			&checked, &o.Detail); err != nil {
			return nil, fmt.Errorf("checkpoints: orders: %w", err)
		}
		if o.CheckedAt, err = parseTime(checked); err != nil {
			return nil, fmt.Errorf("checkpoints: order %s: %w", o.OrderID, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: orders: %w", err)
	}
	return out, nil
}

// AddHistory records status changes of rows, all in one transaction. A
// zero At means now.
func (s *Store) AddHistory(ctx context.Context, entries ...HistoryEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.write(ctx, fmt.Sprintf("add %d history entries", len(entries)), func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, "INSERT INTO history (seq, at, status, message) VALUES (?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, h := range entries {
			if h.At.IsZero() {
				h.At = time.Now()
			}
			if _, err := st.ExecContext(ctx, h.Seq, fmtTime(h.At), h.Status, h.Message); err != nil {
				return fmt.Errorf("row %d: %w", h.Seq, err)
			}
		}
		return nil
	})
}

// History returns a row's history, oldest first.
func (s *Store) History(ctx context.Context, seq int) ([]HistoryEntry, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT at, status, message FROM history WHERE seq = ? ORDER BY at, id", seq)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: history of row %d: %w", seq, err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		h := HistoryEntry{Seq: seq}
		var at string
		if err := rows.Scan(&at, &h.Status, &h.Message); err != nil {
			return nil, fmt.Errorf("checkpoints: history of row %d: %w", seq, err)
		}
		if h.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("checkpoints: history of row %d: %w", seq, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: history of row %d: %w", seq, err)
	}
	return out, nil
}

// AddExcluded records excluded items in one transaction. It is idempotent:
// an item with the same (Kind, OrderID, TN, Reason) is stored once (the
// first one recorded is kept).
func (s *Store) AddExcluded(ctx context.Context, items []Excluded) error {
	if len(items) == 0 {
		return nil
	}
	return s.write(ctx, "add excluded", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO excluded (kind, order_id, customer_order_reference, tn, reason,
			insert_date, e911, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, order_id, tn, reason) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range items {
			e911, err := json.Marshal(e.E911)
			if err != nil {
				return fmt.Errorf("excluded %s: e911: %w", e.TN, err)
			}
			if _, err := st.ExecContext(ctx, e.Kind, e.OrderID, e.CustomerOrderReference, e.TN, e.Reason,
				e.InsertDate, string(e911), e.DisplayName); err != nil {
				return fmt.Errorf("excluded %s: %w", e.TN, err)
			}
		}
		return nil
	})
}

type excludedRow struct {
	id int64
	Excluded
}

// Excluded streams the excluded items in the order they were first
// recorded, a page at a time (like Rows).
func (s *Store) Excluded(ctx context.Context) iter.Seq2[Excluded, error] {
	inner := pages(ctx, s, `SELECT id, kind, order_id, customer_order_reference, tn, reason, insert_date, e911,
		display_name FROM excluded WHERE id > ? ORDER BY id LIMIT ?`, scanExcluded, func(e excludedRow) int64 { return e.id })
	return func(yield func(Excluded, error) bool) {
		for e, err := range inner {
			if !yield(e.Excluded, err) {
				return
			}
		}
	}
}

func scanExcluded(sc scanner) (excludedRow, error) {
	var (
		e    excludedRow
		e911 string
	)
	if err := sc.Scan(&e.id, &e.Kind, &e.OrderID, &e.CustomerOrderReference, &e.TN, &e.Reason,
		&e.InsertDate, &e911, &e.DisplayName); err != nil {
		return excludedRow{}, err
	}
	if err := json.Unmarshal([]byte(e911), &e.E911); err != nil {
		return excludedRow{}, fmt.Errorf("excluded %d e911: %w", e.id, err)
	}
	return e, nil
}

// Cursor returns the export cursor (bookmark) with this name.
func (s *Store) Cursor(ctx context.Context, name string) (value string, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, "SELECT value FROM cursors WHERE name = ?", name).Scan(&value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("checkpoints: cursor %s: %w", name, err)
	}
	return value, true, nil
}

// SetCursor sets (inserts or replaces) an export cursor.
func (s *Store) SetCursor(ctx context.Context, name, value string) error {
	return s.write(ctx, "set cursor "+name, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			name, value, fmtTime(time.Now()))
		return err
	})
}
