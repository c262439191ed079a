package inteliquent

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrDryRun is returned (wrapped) by every state-changing operation when
// Config.DryRun is set: nothing was sent.
var ErrDryRun = errors.New("dry run: state-changing request not sent")

// errClass says what a caller should do next with an error.
type errClass int

const (
	classFinal     errClass = iota // a per-row or per-batch outcome; do not retry
	classRetryable                 // proven not applied; safe to send again
	classAmbiguous                 // may have been applied; reconcile before resending
	classFatal                     // credentials or privateKey: stop the run
)

// APIError is an answer from the API that is not a success: a body
// statusCode other than 200 (the API's usual way), or an HTTP error status.
// Its text never contains credentials: the client scrubs the key, secret and
// token from Status and Message before building it.
type APIError struct {
	// Op is the operation name as the guide spells it (e.g. "tnOrder").
	Op string
	// HTTPStatus is the HTTP status code of the answer (usually 200).
	HTTPStatus int
	// Code is the body statusCode ("430", "431", "401001"...); for an HTTP
	// error without a body code it is empty.
	Code string
	// Status is the body's human-readable status text.
	Status string
	// Message is the body's message field, when present.
	Message string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Redirect is the Location of a 3xx answer, which is never followed.
	Redirect string

	class errClass
}

// Error describes the answer without any credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("inteliquent: ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	switch {
	case e.Code != "":
		b.WriteString("statusCode ")
		b.WriteString(e.Code)
	default:
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
		if t := http.StatusText(e.HTTPStatus); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Status != "" {
		fmt.Fprintf(&b, " (%s)", e.Status)
	}
	if e.Message != "" && e.Message != e.Status {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" && e.HTTPStatus != 0 && e.HTTPStatus != http.StatusOK {
		fmt.Fprintf(&b, " [HTTP %d]", e.HTTPStatus)
	}
	if e.HTTPStatus >= 300 && e.HTTPStatus < 400 {
		loc := redactURL(e.Redirect)
		if loc == "" {
			loc = "(no Location)"
		}
		fmt.Fprintf(&b, ": redirected to %s; iqbulk never follows redirects (check --endpoint)", loc)
	}
	return b.String()
}

// AuthError is a failure to authenticate: the token endpoint could not be
// reached, refused the key and secret, or gave no token; or the API itself
// refused the credentials (HTTP 401, 401001) after a fresh token. It stops a run at
// once, since every request would fail the same way. It names the endpoint,
// never the credentials.
type AuthError struct {
	// Endpoint is the token endpoint's URL.
	Endpoint string
	Err      error

	status     int
	retryAfter time.Duration
	class      errClass
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("inteliquent: credentials refused or not checked by %s (check IQ_API_KEY, IQ_API_SECRET and IQ_AUTH): %v", e.Endpoint, e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// redactURL drops user info, query and fragment from a URL for messages.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// RequestError is a failure to get an answer at all: the connection was
// refused, dropped or timed out, or the answer could not be read. It carries
// the operation name and the transport error, never the request body (which
// holds the privateKey) or the Authorization header.
type RequestError struct {
	Op string
	// Ambiguous is true when the request may have reached the API and been
	// applied (it was fully written before the failure).
	Ambiguous bool
	Err       error

	class errClass
}

func (e *RequestError) Error() string {
	if e.Ambiguous {
		return fmt.Sprintf("inteliquent: %s: no answer; the request may have been applied: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("inteliquent: %s: request not sent: %v", e.Op, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

func classOf(err error) errClass {
	var auth *AuthError
	if errors.As(err, &auth) {
		return auth.class
	}
	var ae *APIError
	if errors.As(err, &ae) {
		if ae.class == classFinal && ae.HTTPStatus == http.StatusTooManyRequests {
			return classRetryable
		}
		if ae.class == classFinal && fatalCode(ae.Code, ae.Status+" "+ae.Message) {
			return classFatal
		}
		return ae.class
	}
	var re *RequestError
	if errors.As(err, &re) {
		if re.class == classFinal {
			if re.Ambiguous {
				return classAmbiguous
			}
			return classRetryable
		}
		return re.class
	}
	return classFinal
}

// IsRetryable reports whether err proves the request was not applied and
// asks for another try: HTTP 429, a "try again" 431, a failure before the
// request was written (DNS, connection refused, TLS handshake). The client
// has already retried it as often as allowed.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	return classOf(err) == classRetryable
}

// IsAmbiguous reports whether the request may have been applied although no
// usable answer came back (connection dropped after sending, timeout, EOF,
// HTTP 502/504). The caller must reconcile (orderList by
// customerOrderReference, tnDetail) before sending it again.
func IsAmbiguous(err error) bool {
	if err == nil {
		return false
	}
	var re *RequestError
	if errors.As(err, &re) {
		return re.Ambiguous
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.class == classAmbiguous
	}
	return false
}

// NotApplied reports whether err proves that the API did not apply the
// request: it refused it with an answer (a body statusCode, HTTP 4xx), it
// was never written, or authentication failed before it could act. A
// redirect, a 5xx, a lost or unreadable answer prove nothing.
func NotApplied(err error) bool {
	if err == nil || IsAmbiguous(err) {
		return false
	}
	var auth *AuthError
	if errors.As(err, &auth) {
		return true
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Redirect == "" && !(ae.HTTPStatus >= 300 && ae.HTTPStatus < 400)
	}
	var re *RequestError
	if errors.As(err, &re) {
		return !re.Ambiguous
	}
	return false
}

// IsAuth reports whether err is a credentials failure (*AuthError, or the
// API's 401 / 401001).
func IsAuth(err error) bool {
	var auth *AuthError
	if errors.As(err, &auth) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && (ae.HTTPStatus == http.StatusUnauthorized || ae.Code == "401001")
}

// IsFatal reports whether the run should stop: invalid credentials (401001)
// or a privateKey problem (1403; 408; 410 when it names the private key).
func IsFatal(err error) bool {
	return err != nil && classOf(err) == classFatal
}

// Code returns the body statusCode of an *APIError in err's chain, or "".
func Code(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// fatalCode decides whether a body code stops the run. 410 means "Private Key
// is not valid" on most operations but "Invalid Order Id" or "Invalid
// Request" on others, so it is fatal only when the text names the key.
func fatalCode(code, text string) bool {
	switch code {
	case "401001", "1403", "408":
		return true
	case "410":
		t := strings.ToLower(strings.ReplaceAll(text, " ", ""))
		return strings.Contains(t, "privatekey")
	}
	return false
}
