//go:build !unix

package sandbox

import (
	"errors"
	"fmt"
	"os"
)

// dirLock is an exclusive lock file on the state directory.
type dirLock struct{ path string }

var errLocked = errors.New("state directory is in use by another process")

func lockDir(path string) (*dirLock, error) {
	f, err := os.OpenFile(path+".excl", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	f.Close()
	return &dirLock{path + ".excl"}, nil
}

func (l *dirLock) release() error {
	if err := os.Remove(l.path); err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	return nil
}
