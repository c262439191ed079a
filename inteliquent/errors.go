package inteliquent

import (
	"errors"
	"fmt"
	"net/http"
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
	return b.String()
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

// IsRetryable reports whether err proves the request was not applied (or the
// operation is idempotent), so sending it again is safe: HTTP 429, HTTP
// 500/503 with a body, a "try again" 431, a connection refused, or an
// ambiguous failure of an idempotent operation.
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
