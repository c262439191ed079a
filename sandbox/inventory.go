package sandbox

import (
	"sort"
	"strings"
	"time"
)

// numPattern matches 10-digit numbers against a tnMask or a translated
// tnWildcard.
type numPattern struct {
	mask [10]byte // tnMask: digit or 'x'
	glob string   // tnWildcard translated: digits, '*', '?'
	kind int      // 0 none, 1 mask, 2 glob
}

// parseMask validates a tnMask: exactly 10 of 0-9, x, X or space.
func parseMask(s string) (numPattern, bool) {
	var p numPattern
	if len(s) != 10 {
		return p, false
	}
	p.kind = 1
	for i := 0; i < 10; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			p.mask[i] = c
		case c == 'x' || c == 'X' || c == ' ':
			p.mask[i] = 'x'
		default:
			return p, false
		}
	}
	return p, true
}

// wildcardDigit is the guide's letter translation (A-C→2 ... W-Z→9).
func wildcardDigit(c byte) (byte, bool) {
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	switch {
	case c >= '0' && c <= '9', c == '*', c == '?':
		return c, true
	case c >= 'A' && c <= 'C':
		return '2', true
	case c >= 'D' && c <= 'F':
		return '3', true
	case c >= 'G' && c <= 'I':
		return '4', true
	case c >= 'J' && c <= 'L':
		return '5', true
	case c >= 'M' && c <= 'O':
		return '6', true
	case c >= 'P' && c <= 'S':
		return '7', true
	case c >= 'T' && c <= 'V':
		return '8', true
	case c >= 'W' && c <= 'Z':
		return '9', true
	}
	return 0, false
}

// parseWildcard validates and translates a tnWildcard.
func parseWildcard(s string) (numPattern, bool) {
	p := numPattern{kind: 2}
	if s == "" || len(s) > 64 {
		return p, false
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		d, ok := wildcardDigit(s[i])
		if !ok {
			return p, false
		}
		if d == '*' && len(b) > 0 && b[len(b)-1] == '*' {
			continue
		}
		b = append(b, d)
	}
	p.glob = string(b)
	return p, true
}

// prefix is the fixed NPA-NXX of the pattern, or 0.
func (p *numPattern) npanxx() uint32 {
	var digits []byte
	switch p.kind {
	case 1:
		digits = p.mask[:6]
	case 2:
		if len(p.glob) < 6 {
			return 0
		}
		digits = []byte(p.glob[:6])
	default:
		return 0
	}
	var n uint32
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint32(c-'0')
	}
	return n
}

func digitsOf(tn uint64) [10]byte {
	var d [10]byte
	for i := 9; i >= 0; i-- {
		d[i] = byte('0' + tn%10)
		tn /= 10
	}
	return d
}

// exact is the one number a tnMask without x names.
func (p *numPattern) exact() (uint64, bool) {
	if p.kind != 1 {
		return 0, false
	}
	var tn uint64
	for _, c := range p.mask {
		if c < '0' || c > '9' {
			return 0, false
		}
		tn = tn*10 + uint64(c-'0')
	}
	return tn, true
}

func (p *numPattern) match(tn uint64) bool {
	switch p.kind {
	case 1:
		d := digitsOf(tn)
		for i := 0; i < 10; i++ {
			if p.mask[i] != 'x' && p.mask[i] != d[i] {
				return false
			}
		}
		return true
	case 2:
		d := digitsOf(tn)
		return globMatch(p.glob, d[:])
	}
	return true
}

// globMatch matches the whole of s against pattern (* any run, ? one).
func globMatch(pattern string, s []byte) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			starP, starS = px, sx
			px++
		case starP >= 0:
			px = starP + 1
			starS++
			sx = starS
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// invQuery is a compiled tnInventory search.
type invQuery struct {
	pat        numPattern
	npanxx     uint32
	lata, rc   string
	tier       string
	province   string
	city       string
	postal     string
	wireless   string // "", "Y", "N"
	quantity   int
	sequential bool
	prop, dir  string
	blocks     []int // candidate blocks in result order
}

func (q *invQuery) blockOK(bl *block) bool {
	rc := &rateCenters[bl.rc]
	switch {
	case q.npanxx != 0 && bl.npanxx != q.npanxx,
		q.lata != "" && rc.lata != q.lata,
		q.rc != "" && !strings.EqualFold(rc.abbr, q.rc),
		q.tier != "" && !strings.EqualFold(rc.tier, q.tier),
		q.province != "" && !strings.EqualFold(rc.state, q.province),
		q.city != "" && !strings.EqualFold(rc.city, q.city),
		q.postal != "" && rc.postal != q.postal,
		q.wireless == "Y" && !bl.wireless,
		q.wireless == "N" && bl.wireless:
		return false
	}
	return true
}

func (q *invQuery) sortKey(bl *block) string {
	rc := &rateCenters[bl.rc]
	switch q.prop {
	case "rateCenter":
		return rc.abbr
	case "lata":
		return rc.lata
	case "state":
		return rc.state
	case "rateCenterTier":
		return rc.tier
	}
	return ""
}

// plan orders the candidate blocks.
func (q *invQuery) plan(w *world) {
	q.blocks = q.blocks[:0]
	for i := range w.blocks {
		if w.blocks[i].k > 0 && q.blockOK(&w.blocks[i]) {
			q.blocks = append(q.blocks, i)
		}
	}
	sort.SliceStable(q.blocks, func(i, j int) bool {
		a, b := &w.blocks[q.blocks[i]], &w.blocks[q.blocks[j]]
		ka, kb := q.sortKey(a), q.sortKey(b)
		if ka != kb {
			return ka < kb
		}
		return a.npanxx < b.npanxx
	})
	if q.dir == "desc" {
		for i, j := 0, len(q.blocks)-1; i < j; i, j = i+1, j-1 {
			q.blocks[i], q.blocks[j] = q.blocks[j], q.blocks[i]
		}
	}
}

// cursor is a position in a query's result order.
type cursor struct {
	block int // index into q.blocks
	line  int // next line offset within the block (0..10000)
}

// availableIn counts available numbers of a block at now (fast path when
// the pattern is not line-specific).
func (st *state) availableIn(bl *block, now time.Time) int {
	n := int(bl.k)
	for line, r := range st.recs[bl.npanxx] {
		if bl.class(line) == lineAvailable && r.status(now, stAvailable) != stAvailable {
			n--
		}
	}
	return n
}

// lineSpecific reports whether the pattern looks past the NPA-NXX (block
// filtering already handles the first six characters of a tnMask).
func (q *invQuery) lineSpecific() bool {
	return q.pat.kind == 2 || (q.pat.kind == 1 && string(q.pat.mask[6:]) != "xxxx")
}

// blockMatchesMask checks the first six mask characters against a block.
func (p *numPattern) blockMatchesMask(npanxx uint32) bool {
	if p.kind != 1 {
		return true
	}
	d := digitsOf(uint64(npanxx) * 10000)
	for i := 0; i < 6; i++ {
		if p.mask[i] != 'x' && p.mask[i] != d[i] {
			return false
		}
	}
	return true
}

// scan walks matching available numbers from cur, skipping skip of them
// and collecting up to limit; it returns the numbers and the next cursor.
func (st *state) scan(q *invQuery, now time.Time, cur cursor, skip, limit int) ([]uint64, cursor) {
	w := st.w
	var out []uint64
	for ; cur.block < len(q.blocks); cur.block, cur.line = cur.block+1, 0 {
		bl := &w.blocks[q.blocks[cur.block]]
		if cur.line == 0 && skip > 0 && !q.lineSpecific() {
			if n := st.availableIn(bl, now); skip >= n {
				skip -= n
				continue
			}
		}
		recs := st.recs[bl.npanxx]
		base := uint64(bl.npanxx) * 10000
		for ; cur.line < 10000; cur.line++ {
			line := uint32(cur.line)
			if q.dir == "desc" {
				line = 9999 - line
			}
			if bl.class(line) != lineAvailable {
				continue
			}
			tn := base + uint64(line)
			if q.pat.kind != 0 && !q.pat.match(tn) {
				continue
			}
			if recs != nil {
				if r := recs[line]; r != nil && r.status(now, stAvailable) != stAvailable {
					continue
				}
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(out) >= limit {
				return out, cur
			}
			out = append(out, tn)
		}
	}
	return out, cur
}

// count is the number of matches (bounded by quantity when set).
func (st *state) count(q *invQuery, now time.Time) int {
	if !q.lineSpecific() {
		n := 0
		for _, i := range q.blocks {
			n += st.availableIn(&st.w.blocks[i], now)
		}
		return n
	}
	got, _ := st.scan(q, now, cursor{}, 0, 1<<31-1)
	return len(got)
}

// sequentialRun finds the first run of n consecutive available matches.
func (st *state) sequentialRun(q *invQuery, now time.Time, n int) []uint64 {
	var run []uint64
	cur := cursor{}
	for {
		got, next := st.scan(q, now, cur, 0, 4096)
		for _, tn := range got {
			if len(run) > 0 && tn != run[len(run)-1]+1 && tn+1 != run[len(run)-1] {
				run = run[:0]
			}
			run = append(run, tn)
			if len(run) == n {
				return run
			}
		}
		if len(got) < 4096 {
			return nil
		}
		cur = next
	}
}
