package inteliquent

import (
	"crypto/tls"
	"net/http"
	"time"
)

// maxIdleConnsPerHost keeps a connection per worker open between requests
// (net/http keeps only 2 by default, so with more workers every request
// beyond the second would open, and leave in TIME_WAIT, a new connection).
const maxIdleConnsPerHost = 64

// NewHTTPClient is the HTTP client of every API connection, the token
// requests included, and the default of Config.HTTPClient. The guide
// (Introduction): "The Inteliquent Services API accepts HTTPS connections
// using TLS version 1.2", so nothing older is ever negotiated, whatever the
// Go default or GODEBUG says.
func NewHTTPClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	tr.MaxIdleConnsPerHost = maxIdleConnsPerHost
	// A tnDetail page of 100 numbers is ~50 KB: read it in a few calls,
	// not twelve of 4 KB (and a request of 100 numbers in one write).
	tr.ReadBufferSize, tr.WriteBufferSize = 64<<10, 16<<10
	return &http.Client{Timeout: timeout, Transport: tr}
}
