package checkpoints

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/gofrs/flock"
)

// ErrLocked means another process is working on the same run.
var ErrLocked = errors.New("another iqbulk process is working on this run")

// Lock makes this process the only one working on the run: two resumes of
// one run directory at once could send a batch twice. The lock is an
// operating-system file lock on state.db.lock (flock on Unix, LockFileEx on
// Windows, through github.com/gofrs/flock), released by Close or by the
// process dying, so a SIGKILLed run never leaves a stale lock. Readers such
// as `iqbulk status` do not take it.
func (s *Store) Lock() error {
	if s.lock != nil {
		return nil
	}
	lk := flock.New(s.path+".lock", flock.SetPermissions(0o600))
	ok, err := lk.TryLock()
	if err != nil {
		return fmt.Errorf("checkpoints: lock: %w", err)
	}
	if !ok {
		return ErrLocked
	}
	s.lock = lk
	return nil
}

// OpenLocked opens the store at path and takes its lock (an export's
// state, a run being worked on): a second process is refused.
func OpenLocked(ctx context.Context, path string) (*Store, error) {
	st, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := st.Lock(); err != nil {
		_ = st.Close()
		return nil, err
	}
	return st, nil
}

// RunOrders reads the orders a run directory's checkpoint recorded,
// without taking the run's lock.
func RunOrders(ctx context.Context, dir string) ([]Order, error) {
	st, err := Open(ctx, filepath.Join(dir, "state.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Orders(ctx, false)
}
