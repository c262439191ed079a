package inteliquent

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAnswer reads what io.ReadAll would, whatever the Content-Length says
// (right, too small, too large, absent), and a Content-Length announcing
// more than preallocMax sets aside no more than that before bytes arrive.
func TestReadAnswer(t *testing.T) {
	body := strings.Repeat(`{"tn":"3125550100"},`, 3000) // ~60 KB
	for _, cl := range []int64{int64(len(body)), 10, int64(len(body)) * 3, -1, 0, maxResponseBytes} {
		got, err := readAnswer(strings.NewReader(body), cl)
		require.NoError(t, err, cl)
		assert.Equal(t, body, string(got), "content length %d", cl)
	}
	got, err := readAnswer(strings.NewReader("short"), 400<<20)
	require.NoError(t, err)
	assert.Equal(t, "short", string(got))
	assert.LessOrEqual(t, cap(got), 2*preallocMax, "a 400 MB Content-Length does not allocate 400 MB")

	_, err = readAnswer(io.MultiReader(strings.NewReader("part"), errReader{}), 100)
	require.ErrorIs(t, err, errCut, "a body cut short is an error")
}

var errCut = errors.New("connection reset")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errCut }
