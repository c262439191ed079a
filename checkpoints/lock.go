package checkpoints

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked means another process is working on the same run.
var ErrLocked = errors.New("another iqbulk process is working on this run")

// Lock makes this process the only one working on the run: two resumes of
// one run directory at once could send a batch twice. The lock is an
// advisory flock (LockFileEx on Windows) on state.db.lock, released by Close or by the process
// dying (so a SIGKILLed run never leaves a stale lock). Readers such as
// `iqbulk status` do not take it.
func (s *Store) Lock() error {
	if s.lock != nil {
		return nil
	}
	f, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoints: lock: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return ErrLocked
		}
		return fmt.Errorf("checkpoints: lock: %w", err)
	}
	s.lock = f
	return nil
}
