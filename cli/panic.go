package cli

import (
	"encoding/base64"
	"fmt"
	"runtime/debug"
	"strings"
)

// recoverPanic, deferred by run, turns a panic in a command into exit code 3
// (the checkpoint is written before and after every request, so the run
// can be resumed) and a message on stderr from which the credentials of the
// environment are removed: a panic value may well hold a request or a
// configuration. Panics in goroutines a command starts are not caught here.
func recoverPanic(e *env, code *int) {
	v := recover()
	if v == nil {
		return
	}
	msg := fmt.Sprintf("iqbulk: internal error (a bug: please report it; the run can be resumed): %v\n%s", v, debug.Stack())
	fmt.Fprint(e.stderr, redactCredentials(e, msg))
	*code = ExitInterrupted
}

// redactCredentials replaces IQ_API_KEY, IQ_API_SECRET and their Basic
// encoding in s.
func redactCredentials(e *env, s string) string {
	key, secret := e.getenv("IQ_API_KEY"), e.getenv("IQ_API_SECRET")
	var pairs []string
	if key != "" && secret != "" {
		pairs = append(pairs, base64.StdEncoding.EncodeToString([]byte(key+":"+secret)), "[redacted]")
	}
	for _, c := range []string{key, secret} {
		if c != "" {
			pairs = append(pairs, c, "[redacted]")
		}
	}
	if len(pairs) == 0 {
		return s
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
