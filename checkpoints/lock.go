package checkpoints

import (
	"errors"
	"fmt"

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
