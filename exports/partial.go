package exports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/iqbulk/iqbulk/writers"
)

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("exports: sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("exports: sync %s: %w", path, err)
	}
	return nil
}

// openPartial opens the partial file: truncated to offset on resume (the
// bytes after the last committed page belong to no committed page), empty
// otherwise.
func openPartial(path string, resume bool, offset int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("exports: %w", err)
	}
	if !resume {
		offset = 0
	}
	if resume {
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("exports: %w", err)
		}
		if fi.Size() < offset {
			f.Close()
			return nil, fmt.Errorf("exports: %s has %d bytes, the checkpoint says %d were written; start over without --resume", path, fi.Size(), offset)
		}
	}
	if err := f.Truncate(offset); err != nil {
		f.Close()
		return nil, fmt.Errorf("exports: truncate %s: %w", path, err)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("exports: seek %s: %w", path, err)
	}
	return f, nil
}

// finalize puts the finished file in place: CSV and JSONL are renamed, XLSX
// is streamed from the spool.
func finalize(out, partial string, format writers.Format, cols []string) error {
	if format != writers.XLSX {
		if err := os.Rename(partial, out); err != nil {
			return fmt.Errorf("exports: %w", err)
		}
		return nil
	}
	in, err := os.Open(partial)
	if err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	defer in.Close()
	t, err := writers.Create(out, writers.XLSX, writers.WithSheet("export"))
	if err != nil {
		return err
	}
	abort := func(err error) error {
		if a, ok := t.(writers.Aborter); ok {
			_ = a.Abort()
		}
		return err
	}
	if err := t.WriteHeader(cols); err != nil {
		return abort(err)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	var row []string
	for sc.Scan() {
		row = row[:0]
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return abort(fmt.Errorf("exports: spool %s: %w", partial, err))
		}
		if err := t.WriteRow(row); err != nil {
			return abort(err)
		}
	}
	if err := sc.Err(); err != nil {
		return abort(fmt.Errorf("exports: spool %s: %w", partial, err))
	}
	if err := t.Close(); err != nil {
		return err
	}
	in.Close()
	return os.Remove(partial)
}
