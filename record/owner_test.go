package record

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// definition matches a constant or variable defined as one of the outcome
// or state words: `statusOK = "ok"`, `BatchFailed string = "failed"`.
var definition = regexp.MustCompile(`^\s*((const|var)\s+)?\w+\s*(string\s*)?=\s*"(ok|excluded|invalid|failed|in-doubt|pending|skipped|in_doubt|planned|sent|done)"\s*(//.*)?$`)

// TestOutcomesAreDefinedOnce: the outcome words and batch states are
// defined in this package and nowhere else in the module (issue 19: one
// owner per concept). A second definition anywhere fails this test.
func TestOutcomesAreDefinedOnce(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if filepath.Dir(path) == filepath.Join(root, "record") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if definition.MatchString(line) {
				rel, _ := filepath.Rel(root, path)
				found = append(found, rel+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "outcome words and states are defined in package record only")
}
