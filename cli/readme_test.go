package cli

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/jobs"
)

// TestReadmeNamesEveryKind walks the registries: a kind that ships is in
// the README's tables.
func TestReadmeNamesEveryKind(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	for _, j := range jobs.Default().All() {
		assert.Contains(t, readme, "`"+j.Spec().Name+"`", "job kind")
	}
	for _, k := range exports.Default().Names() {
		assert.Contains(t, readme, "`"+k+"`", "export kind")
	}
}
