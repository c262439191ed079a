package jsonscan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The scanner gives up (false) on what it leaves to encoding/json, and
// reads the rest exactly; its users' fuzz targets compare it with
// encoding/json on their documents (inteliquent, sandbox).
func TestScannerAcceptsAndGivesUp(t *testing.T) {
	skip := func(doc string) bool {
		sc := Scanner{B: []byte(doc)}
		return sc.Skip() && sc.End()
	}
	for _, doc := range []string{`{}`, `[]`, ` {"a": [1, -2.5e3, "x", true, false, null, {"b": {}}]} `, `"\u00e9"`, `0`} {
		assert.True(t, skip(doc), doc)
	}
	for _, doc := range []string{`{"a\u0062": 1}`, `{"a": 1,}`, `[1 2]`, `01`, `"unterminated`, `{"a" 1}`, `tru`, `{} {}`,
		strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)} {
		assert.False(t, skip(doc), doc)
	}
	assert.True(t, skip(strings.Repeat("[", MaxDepth)+strings.Repeat("]", MaxDepth)), "MaxDepth itself is read")

	sc := Scanner{B: []byte(` {"k": {"x": [1, 2]}, "n": null}`)}
	var raw string
	assert.True(t, sc.Object(func(key []byte) bool {
		if string(key) == "k" {
			r, ok := sc.Raw()
			raw = string(r)
			return ok
		}
		return sc.Null()
	}))
	assert.Equal(t, `{"x": [1, 2]}`, raw)
}
