package sandbox

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"
)

// lagView serves reads while Faults.Lag is set: a second state that takes
// every applied change only Lag (simulated time) after it was made, so an
// order and its numbers stay invisible to orderList, orderDetail, tnDetail,
// tnAssignedList, tfDetail, portInOrderList and every other read for that
// long, while the live state (which every state-changing request sees)
// already holds them. The view replays the same journal entries, in the
// same order, at the same times, so it reaches the same order ids.
type lagView struct {
	st    *state
	queue []journalEntry // applied to the live state, not yet to st
}

// recordLocked keeps an applied change: in the journal (with a StateDir),
// in the in-memory history (without one, so that a view can be built
// later) and in the view's queue.
func (s *Server) recordLocked(now time.Time, op string, req any, featureFail float64) error {
	if s.journal == nil && s.view == nil && s.opts.StateDir != "" {
		return nil
	}
	raw, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("journal %s: %w", op, err)
	}
	je := journalEntry{T: now, Op: op, Req: raw, FeatureFail: featureFail}
	if s.opts.StateDir == "" {
		s.history = append(s.history, je)
	}
	if s.view != nil {
		s.view.queue = append(s.view.queue, je)
	}
	if s.journal == nil {
		return nil
	}
	line, err := je.appendJSON(make([]byte, 0, len(raw)+96))
	if err != nil {
		return fmt.Errorf("journal %s: %w", op, err)
	}
	if _, err := s.journal.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("journal %s: %w", op, err)
	}
	return nil
}

// syncViewLocked builds the view when Lag is set and there is none, from
// the journal or the in-memory history, and drops it when Lag is 0.
func (s *Server) syncViewLocked() error {
	if s.faults.Lag <= 0 {
		s.view = nil
		return nil
	}
	if s.view != nil {
		return nil
	}
	v := &lagView{st: newState(s.st.w)}
	if s.opts.StateDir == "" {
		v.queue = append([]journalEntry(nil), s.history...)
	} else {
		err := readLines(filepath.Join(s.opts.StateDir, journalFile), func(line []byte) error {
			var je journalEntry
			if err := json.Unmarshal(line, &je); err != nil {
				return err
			}
			v.queue = append(v.queue, je)
			return nil
		})
		if err != nil {
			return fmt.Errorf("sandbox lag view: %w", err)
		}
	}
	s.view = v
	return nil
}

// catchUpLocked applies to the view every change made Lag or longer ago.
func (s *Server) catchUpLocked(now time.Time) {
	v := s.view
	cut := now.Add(-s.faults.Lag)
	n := 0
	for _, je := range v.queue {
		if je.T.After(cut) {
			break
		}
		n++
		mo, ok := mutOps[je.Op]
		if !ok {
			continue
		}
		req := mo.newReq()
		if err := json.Unmarshal(je.Req, req); err != nil {
			s.log.Error("sandbox lag view: bad entry", "op", je.Op, "err", err)
			continue
		}
		v.st.featureFail = je.FeatureFail
		mo.apply(v.st, je.T, req, 0) // it was applied once: no cap
	}
	v.queue = v.queue[n:]
}

// readLocked answers a read operation, from the view while Lag is set.
func (s *Server) readLocked(ro readOp, now time.Time, body []byte) answer {
	if s.view == nil {
		return ro(s, now, body)
	}
	s.catchUpLocked(now)
	live := s.st
	s.st = s.view.st
	defer func() { s.st = live }()
	return ro(s, now, body)
}
