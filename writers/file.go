package writers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// tmpSuffix is appended to a destination path while it is being written.
const tmpSuffix = ".tmp"

// fileMode is the mode of every file the writers create: results carry
// customer numbers and addresses.
const fileMode os.FileMode = 0o600

// Create creates the table file path in format f. The rows go to path+".tmp"
// (mode 0600); Close flushes, syncs and renames it to path, so path holds
// either its previous content or the complete new file, never a partial one.
// If Close fails, or Abort is called (the returned Table implements
// [Aborter]), the temporary file is removed.
func Create(path string, f Format, opts ...Option) (Table, error) {
	o := buildOptions(opts)
	if o.tempDir == "" {
		opts = append(opts[:len(opts):len(opts)], WithTempDir(filepath.Dir(path)))
	}
	af, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	t, err := New(af.f, f, opts...)
	if err != nil {
		return nil, errors.Join(err, af.abort())
	}
	return &fileTable{Table: t, af: af}, nil
}

// fileTable is a Table whose bytes go to an atomicFile.
type fileTable struct {
	Table
	af   *atomicFile
	done bool
}

func (t *fileTable) WriteHeader(cols []string) error {
	if t.done {
		return fmt.Errorf("writers: write header: %w", ErrClosed)
	}
	return t.Table.WriteHeader(cols)
}

func (t *fileTable) WriteRow(cells []string) error {
	if t.done {
		return fmt.Errorf("writers: write row: %w", ErrClosed)
	}
	return t.Table.WriteRow(cells)
}

func (t *fileTable) Close() error {
	if t.done {
		return nil
	}
	t.done = true
	if err := t.Table.Close(); err != nil {
		return errors.Join(err, t.af.abort())
	}
	return t.af.commit()
}

func (t *fileTable) Abort() error {
	if t.done {
		return nil
	}
	t.done = true
	var closeErr error
	if a, ok := t.Table.(interface{ abort() error }); ok {
		closeErr = a.abort()
	}
	return errors.Join(closeErr, t.af.abort())
}

// atomicFile is path+".tmp", renamed to path on commit.
type atomicFile struct {
	path, tmp string
	f         *os.File
}

func createAtomic(path string) (*atomicFile, error) {
	tmp := path + tmpSuffix
	// A leftover from a crashed run is ours to replace; removing it first
	// makes O_EXCL guarantee the mode below, which OpenFile does not apply
	// to a file that already exists.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("writers: remove stale %s: %w", tmp, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return nil, fmt.Errorf("writers: create %s: %w", tmp, err)
	}
	return &atomicFile{path: path, tmp: tmp, f: f}, nil
}

func (a *atomicFile) commit() error {
	if err := a.f.Sync(); err != nil {
		return errors.Join(fmt.Errorf("writers: sync %s: %w", a.tmp, err), a.abort())
	}
	if err := a.f.Close(); err != nil {
		return errors.Join(fmt.Errorf("writers: close %s: %w", a.tmp, err), a.removeTmp())
	}
	if err := os.Rename(a.tmp, a.path); err != nil {
		return errors.Join(fmt.Errorf("writers: rename %s: %w", a.tmp, err), a.removeTmp())
	}
	syncDir(filepath.Dir(a.path))
	return nil
}

func (a *atomicFile) abort() error {
	_ = a.f.Close()
	return a.removeTmp()
}

func (a *atomicFile) removeTmp() error {
	if err := os.Remove(a.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("writers: remove %s: %w", a.tmp, err)
	}
	return nil
}

// syncDir makes a rename durable where the platform allows it; failure only
// weakens durability after a power loss, so it is not reported.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// writeFileAtomic writes data to path through path+".tmp", mode 0600.
func writeFileAtomic(path string, data []byte) error {
	af, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := af.f.Write(data); err != nil {
		return errors.Join(fmt.Errorf("writers: write %s: %w", af.tmp, err), af.abort())
	}
	return af.commit()
}
