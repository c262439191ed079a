package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Documented demo credentials (the key is the guide's sample privateKey).
const (
	DemoKey    = "Abcd1FghIjK2314mno5pqrX6yzab"
	DemoSecret = "iqbulk-sandbox-demo-secret"
)

// Options configure a sandbox.
type Options struct {
	// StateDir holds journal.jsonl, audit.jsonl and a lock; empty keeps
	// everything in memory.
	StateDir string
	// Reset discards the state in StateDir.
	Reset bool
	// ReadOnly reads StateDir's journal without taking its lock and never
	// writes to it: for commands that change nothing (a dry run), which may
	// then run while another process uses the state. Changes stay in memory.
	ReadOnly bool
	// Seed picks the world (0 means 1).
	Seed int64
	// WorldSize is the number of available numbers (0 means 1,000,000).
	WorldSize int
	// Key and Secret are the account credentials (default DemoKey/DemoSecret).
	Key, Secret string
	// Rate limits requests per second per key (0 = unlimited).
	Rate float64
	// Faults to inject.
	Faults Faults
	// ClockSpeed runs simulated time this many times faster (0 means 1).
	ClockSpeed float64
	// Now is the real clock (default time.Now).
	Now func() time.Time
	// ScrollTTL is how long an unused searchId lives, in real time
	// (default 5 minutes).
	ScrollTTL time.Duration
	// ReservationLimit caps reserved numbers per account (0 means 5000).
	ReservationLimit int
	// Logger receives one line per request (default: discard).
	Logger *slog.Logger
}

// Server is the simulated API; it is an http.Handler.
type Server struct {
	// answerBufs holds buffers that answers written by appendJSON (a
	// 100-number tnDetail is ~50 KB) are reused from.
	answerBufs sync.Pool
	opts       Options
	log        *slog.Logger

	mu         sync.Mutex // guards everything below
	st         *state
	scrolls    map[string]*scroll
	scrollSeq  int64
	scrollFIFO []string
	realBase   time.Time
	simBase    time.Time
	lastSim    time.Time
	journal    *os.File
	// unaudited are the journal's changes the audit missed, found by the
	// replay (replayAuditing) and audited when the state opens.
	unaudited []AuditEntry
	history   []journalEntry // applied changes, in memory (no StateDir only)
	view      *lagView       // reads while Faults.Lag is set (lag.go)
	audit     *os.File
	auditMem  []AuditEntry
	lock      *dirLock
	limiters  map[string]*rate.Limiter
	faults    Faults
	opSeen    int // requests of faults.LostOp since the faults were set
	rng       *rand.Rand
	tokenKey  []byte
	closed    bool
}

var _ http.Handler = (*Server)(nil)

// DefaultStateDir is the state directory of `iqbulk sandbox` under the
// user cache directory.
func DefaultStateDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("sandbox state dir: %w", err)
	}
	return filepath.Join(dir, "iqbulk", "sandbox"), nil
}

// New builds a sandbox, replaying StateDir's journal when there is one.
func New(opts Options) (*Server, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.WorldSize <= 0 {
		opts.WorldSize = 1_000_000
	}
	if opts.Key == "" {
		opts.Key = DemoKey
	}
	if opts.Secret == "" {
		opts.Secret = DemoSecret
	}
	if opts.ClockSpeed <= 0 {
		opts.ClockSpeed = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ScrollTTL <= 0 {
		opts.ScrollTTL = 5 * time.Minute
	}
	if opts.ReservationLimit <= 0 {
		opts.ReservationLimit = 5000
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	mac := hmac.New(sha256.New, []byte(opts.Secret))
	fmt.Fprintf(mac, "iqbulk-sandbox-token:%s:%d", opts.Key, opts.Seed)
	s := &Server{
		opts: opts, log: log, st: newState(newWorld(opts.Seed, opts.WorldSize)),
		scrolls: map[string]*scroll{}, limiters: map[string]*rate.Limiter{}, tokenKey: mac.Sum(nil),
	}
	s.setFaultsLocked(opts.Faults)
	s.realBase = opts.Now()
	s.simBase = s.realBase
	if opts.StateDir != "" {
		if err := s.openState(); err != nil {
			return nil, err
		}
	}
	if err := s.syncViewLocked(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) openState() error {
	dir := s.opts.StateDir
	if s.opts.ReadOnly {
		return s.replay(filepath.Join(dir, journalFile))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("sandbox state dir: %w", err)
	}
	lk, err := lockDir(filepath.Join(dir, lockFile))
	if err != nil {
		return fmt.Errorf("sandbox state dir %s: %w", dir, err)
	}
	s.lock = lk
	if s.opts.Reset {
		for _, f := range []string{journalFile, auditFile} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
				lk.release()
				return fmt.Errorf("sandbox reset: %w", err)
			}
		}
	}
	audited, err := appliedAudited(dir)
	if err != nil {
		lk.release()
		return fmt.Errorf("sandbox audit: %w", err)
	}
	if err := s.replayAuditing(filepath.Join(dir, journalFile), audited); err != nil {
		lk.release()
		return err
	}
	open := func(name string) (*os.File, error) {
		return os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	if s.journal, err = open(journalFile); err != nil {
		lk.release()
		return fmt.Errorf("sandbox journal: %w", err)
	}
	if s.audit, err = open(auditFile); err != nil {
		s.journal.Close()
		lk.release()
		return fmt.Errorf("sandbox audit: %w", err)
	}
	for _, e := range s.unaudited {
		s.auditLocked(e) // no request can arrive yet
	}
	s.unaudited = nil
	return nil
}

// Close flushes the journal and releases the state directory.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	for _, f := range []*os.File{s.journal, s.audit} {
		if f != nil {
			if err := f.Sync(); err != nil {
				errs = append(errs, err)
			}
			if err := f.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if s.lock != nil {
		if err := s.lock.release(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sandbox close: %w", err)
	}
	return nil
}

// SetFaults replaces the injected faults. Turning Lag on builds the
// lagging view of reads from the journal (or the in-memory history).
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setFaultsLocked(f)
	if err := s.syncViewLocked(); err != nil {
		s.log.Error("sandbox lag", "err", err)
	}
}

func (s *Server) setFaultsLocked(f Faults) {
	s.faults = f
	s.opSeen = 0
	seed := f.Seed
	if seed == 0 {
		seed = s.opts.Seed
	}
	s.rng = rand.New(rand.NewPCG(uint64(seed), 0xfa017))
	s.limiters = map[string]*rate.Limiter{}
}

// ExpireScrolls forces every open searchId to expire.
func (s *Server) ExpireScrolls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.scrolls)
	s.scrollFIFO = nil
}

// Audit returns the audit entries of this process (and, with a StateDir,
// of earlier processes: read them with ReadAudit).
func (s *Server) Audit() []AuditEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AuditEntry(nil), s.auditMem...)
}

// AvailableTNs returns n numbers available now, deterministically spread
// over the world (every 97th available number from the start).
func (s *Server) AvailableTNs(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.simNowLocked()
	q := &invQuery{}
	q.plan(s.st.w)
	// Spread the numbers over the world (one in every stride available
	// ones, at most one in 97) so that callers asking for a few get varied
	// rate centers, and callers asking for many still get them all.
	stride := 97
	if n > 0 && s.st.w.total/n < stride {
		stride = max(1, s.st.w.total/n)
	}
	var out []string
	cur := cursor{}
	for len(out) < n {
		got, next := s.st.scan(q, now, cur, stride-1, 1)
		if len(got) == 0 {
			break
		}
		out = append(out, tnString(got[0]))
		cur = next // scan stopped at the next match, not yet taken
	}
	return out
}

// simNowLocked is the simulated clock: real time scaled by ClockSpeed,
// never going backwards (also across restarts, via the journal).
func (s *Server) simNowLocked() time.Time {
	real := s.opts.Now()
	t := s.simBase.Add(time.Duration(float64(real.Sub(s.realBase)) * s.opts.ClockSpeed))
	if t.Before(s.lastSim) {
		t = s.lastSim
	}
	s.lastSim = t
	return t
}

// ---- HTTP ----

// maxBody bounds request bodies.
const maxBody = 64 << 20

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := appendJSON(make([]byte, 0, sizeHint(v)), v)
	writeBody(w, code, b, err)
}

// appendJSON appends v's JSON to dst: answers that write themselves do
// (jsonAppender), obj marshals itself, anything else through encoding/json.
func appendJSON(dst []byte, v any) ([]byte, error) {
	if a, ok := v.(jsonAppender); ok {
		return a.appendJSON(dst), nil
	}
	var b []byte
	var err error
	if o, ok := v.(obj); ok {
		// obj encodes itself with json.Marshal: encoding it again would
		// only compact and re-escape what is already compact and escaped
		b, err = o.MarshalJSON()
	} else {
		b, err = json.Marshal(v)
	}
	return append(dst, b...), err
}

// writeBody writes an encoded answer, or HTTP 500 when it could not be
// encoded.
func writeBody(w http.ResponseWriter, code int, b []byte, err error) {
	if err != nil {
		http.Error(w, `{"status":"Internal Error","statusCode":"500"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

// encodedAnswer is an answer encoded while the state's lock was held: an
// answer holds the state's own maps (a number's endUser, features), which
// the next change may alter, so it is never read after the lock is
// released. Its buffer (a 100-number tnDetail is ~50 KB) is reused.
type encodedAnswer struct {
	buf *[]byte
	err error
}

func (s *Server) encodeLocked(v answer) encodedAnswer {
	p, ok := s.answerBufs.Get().(*[]byte)
	if !ok {
		b := make([]byte, 0, sizeHint(v))
		p = &b
	}
	var err error
	*p, err = appendJSON((*p)[:0], v)
	return encodedAnswer{buf: p, err: err}
}

// write writes the answer and gives its buffer back (Write has copied it
// out: net/http, httptest).
func (s *Server) write(w http.ResponseWriter, code int, e encodedAnswer) {
	writeBody(w, code, *e.buf, e.err)
	s.release(e)
}

// release gives the buffer of an answer that is not written back.
func (s *Server) release(e encodedAnswer) { s.answerBufs.Put(e.buf) }

// ServeHTTP routes /oauth2/token, /HealthChecker/1.0.0/healthCheck,
// /ClientMgmt/1.0.0/* and /Services/{1.0.0,2.0.0}/*.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/oauth2/token":
		s.token(w, r)
	case p == "/HealthChecker/1.0.0/healthCheck":
		if r.Method != http.MethodGet {
			writeJSON(w, http.StatusMethodNotAllowed, fail("405", "Method Not Allowed"))
			return
		}
		writeJSON(w, http.StatusOK, envelope{"UP", "200"})
	case strings.HasPrefix(p, "/ClientMgmt/1.0.0/"):
		s.clientMgmt(w, r, strings.TrimPrefix(p, "/ClientMgmt/1.0.0/"))
	case strings.HasPrefix(p, "/Services/1.0.0/"):
		s.services(w, r, strings.TrimPrefix(p, "/Services/1.0.0/"))
	case strings.HasPrefix(p, "/Services/2.0.0/"):
		s.services(w, r, strings.TrimPrefix(p, "/Services/2.0.0/"))
	default:
		writeJSON(w, http.StatusNotFound, fail("404", "Not Found"))
	}
}

// token is the OAuth2 client-credentials endpoint. Credentials come from
// the form or from a Basic header (RFC 6749 §2.3.1).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "POST required"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "malformed form body"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && id == "" {
		id, secret = u, p
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "Unsupported grant_type value"})
		return
	}
	if !s.credentialsOK(id, secret) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client Authentication failed."})
		return
	}
	s.mu.Lock()
	exp := s.simNowLocked().Add(tokenLifetime)
	s.mu.Unlock()
	// expires_in as the guide's example shows; the token really expires
	// after one hour of simulated time.
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"scope": "am_application_scope default", "token_type": "bearer",
		"expires_in": int64(9223372036854775807), "access_token": s.mintToken(exp),
	})
}

func (s *Server) credentialsOK(key, secret string) bool {
	return hmac.Equal([]byte(key), []byte(s.opts.Key)) && hmac.Equal([]byte(secret), []byte(s.opts.Secret))
}

// mintToken makes a stateless token: expiry plus a MAC, so tokens survive
// restarts and need no storage.
func (s *Server) mintToken(exp time.Time) string {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(exp.UnixNano()))
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write(buf[:])
	return base64.RawURLEncoding.EncodeToString(append(buf[:], mac.Sum(nil)[:16]...))
}

// tokenValid checks a token's MAC and expiry against simulated time.
func (s *Server) tokenValid(tok string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(tok))
	if err != nil || len(raw) != 24 {
		return false
	}
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write(raw[:8])
	if !hmac.Equal(raw[8:], mac.Sum(nil)[:16]) {
		return false
	}
	exp := time.Unix(0, int64(binary.BigEndian.Uint64(raw[:8])))
	s.mu.Lock()
	now := s.simNowLocked()
	s.mu.Unlock()
	return now.Before(exp)
}

// authenticate accepts Bearer tokens, Basic base64(key:secret) and the
// guide examples' "Basic <token>".
func (s *Server) authenticate(r *http.Request) bool {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, val, _ := strings.Cut(h, " ")
	val = strings.TrimSpace(val)
	switch strings.ToLower(scheme) {
	case "bearer":
		return s.tokenValid(val)
	case "basic":
		if u, p, ok := r.BasicAuth(); ok && s.credentialsOK(u, p) {
			return true
		}
		return s.tokenValid(val)
	}
	return false
}

func (s *Server) authFailed(w http.ResponseWriter) {
	s.mu.Lock()
	now := s.simNowLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusUnauthorized, map[string]string{
		"message": "Invalid authentication information provided", "status": "Invalid credentials",
		"statusCode": "401001", "timestamp": now.Format("2006-01-02T15:04:05.000-0700"),
	})
}

func (s *Server) clientMgmt(w http.ResponseWriter, r *http.Request, op string) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, fail("405", "Method Not Allowed"))
		return
	}
	if !s.authenticate(r) {
		s.authFailed(w)
		return
	}
	if op != "getClientList" {
		writeJSON(w, http.StatusNotFound, fail("404", "Operation not supported by the sandbox: "+op))
		return
	}
	var req struct {
		PrivateKey string `json:"privateKey"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil {
		writeJSON(w, http.StatusOK, badRequest(err))
		return
	}
	switch {
	case req.PrivateKey == "":
		writeJSON(w, http.StatusOK, fail("410", "Invalid Request Required field is not sent"))
	case req.PrivateKey != s.opts.Key:
		writeJSON(w, http.StatusOK, fail("400", " Requested key is not found "))
	default:
		created := "2019-12-16T17:00:12.352Z"
		writeJSON(w, http.StatusOK, obj{success(), map[string]any{"companyKeyDetails": map[string]any{
			"companyName": "iqbulk Sandbox Company",
			"clientKeys": []map[string]any{{
				"privateKey": s.opts.Key, "apiSecret": s.opts.Secret, "keyName": "sandbox primary key",
				"isPrimary": true, "createdDate": created, "updatedAt": created,
			}},
		}}})
	}
}
