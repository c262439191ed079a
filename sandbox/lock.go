package sandbox

import (
	"errors"
	"fmt"

	"github.com/gofrs/flock"
)

// errLocked means another process holds the state directory.
var errLocked = errors.New("state directory is in use by another process")

// dirLock is an exclusive operating-system lock on the state directory's
// lock file (flock on Unix, LockFileEx on Windows, through
// github.com/gofrs/flock). A process that dies releases it, so a killed
// sandbox never leaves a stale lock behind.
type dirLock struct{ f *flock.Flock }

func lockDir(path string) (*dirLock, error) {
	lk := flock.New(path, flock.SetPermissions(0o600))
	ok, err := lk.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if !ok {
		return nil, errLocked
	}
	return &dirLock{lk}, nil
}

func (l *dirLock) release() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	return nil
}
