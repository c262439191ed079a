package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hash Create records while it scans a CSV manifest (one pass) is the
// file's SHA-256, whatever the reader leaves unread at its end.
func TestCreateHashesCSVWhileScanning(t *testing.T) {
	for name, body := range map[string]string{
		"plain":         "tn,note\n3125550001,a\n3125550002,b\n",
		"bom":           "\ufefftn,note\n3125550001,a\n",
		"trailing":      "tn,note\n3125550001,a\n\n\n   \n",
		"no final EOL":  "tn,note\n3125550001,a",
		"crlf and semi": "tn;note\r\n3125550001;a\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			manifest := filepath.Join(dir, "m.csv")
			require.NoError(t, os.WriteFile(manifest, []byte(body), 0o600))
			run, err := Create(t.Context(), Config{Job: lookup(t, "tn-note"), Manifest: manifest, Dir: filepath.Join(dir, "run"),
				RunID: "h", Endpoint: "sandbox", Log: quiet()})
			require.NoError(t, err)
			want, err := HashFile(manifest)
			require.NoError(t, err)
			assert.Equal(t, want, run.ManifestHash)
		})
	}
}
