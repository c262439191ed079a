package exports

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Bookmark is FILE.bookmark.json: where the next --since last export of
// the file starts.
type Bookmark struct {
	Kind    string    `json:"kind"`
	End     time.Time `json:"end"`
	Updated time.Time `json:"updated"`
}

// ReadBookmark reads the bookmark of the export to out (ok false if none).
func ReadBookmark(out string) (b Bookmark, ok bool, err error) {
	return readBookmarkFile(out + BookmarkSuffix)
}

func readBookmarkFile(path string) (b Bookmark, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("exports: bookmark: %w", err)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, false, fmt.Errorf("exports: bookmark %s: %w", path, err)
	}
	return b, true, nil
}

func writeBookmark(path string, b Bookmark) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("exports: bookmark: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("exports: bookmark: %w", err)
	}
	return nil
}
