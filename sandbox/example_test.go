package sandbox_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// Example serves the sandbox on loopback and orders two numbers
// synchronously with Basic authentication.
func Example() {
	srv, err := sandbox.New(sandbox.Options{WorldSize: 10_000})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	tns := srv.AvailableTNs(2)
	body := fmt.Sprintf(`{"privateKey":%q,"tnOrder":{"tnList":{"tnItem":[{"tn":%s},{"tn":"5555550100"}]}}}`, sandbox.DemoKey, tns[0])
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/Services/1.0.0/tnOrder", strings.NewReader(body))
	req.SetBasicAuth(sandbox.DemoKey, sandbox.DemoSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(string(answer))
	// Output:
	// {"status":"{2=[5555550100 TN is marked Not Available in our inventory]}","statusCode":"200","orderId":"null"}
}

func TestDefaultStateDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	dir, err := sandbox.DefaultStateDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("iqbulk", "sandbox"), filepath.Join(filepath.Base(filepath.Dir(dir)), filepath.Base(dir)))
}
