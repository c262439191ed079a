package inteliquent

import "strings"

// TNStatus is a per-number status string parsed into entries.
//
// tnOrder (≤100 numbers) answers statusCode "200" and hides its exclusions in
// the status text: "{2=[6123453624 TN is on an existing order]}". The guide
// documents neither the grammar nor the meaning of the key ("2="), so the
// parser is conservative: Raw always holds the text verbatim, and Parsed is
// false whenever the text does not follow the shape below.
//
//	status  = "Success" | "{" group { ", " group } "}"
//	group   = key "=[" [ item { ", " item } ] "]"
//	item    = [ tn [ " " reason ] ] | reason
//	tn      = 10 or more digits
//
// Items are split on ", " only when a number of 10 or more digits follows, so
// a reason may itself contain commas ("TN is not available, try later").
type TNStatus struct {
	// Raw is the status text exactly as received.
	Raw string
	// Parsed reports whether Raw followed the grammar. When false, Entries is
	// empty and Raw is all there is.
	Parsed bool
	// OK reports a plain success ("Success") with no per-number entries.
	OK bool
	// Entries are the per-number answers, in the order received.
	Entries []TNStatusEntry
}

// TNStatusEntry is one number's answer inside a status string.
type TNStatusEntry struct {
	// Key is the group key before "=" (e.g. "2"); its meaning is undocumented.
	Key string
	// TN is the number the entry is about; empty for a group-level reason.
	TN TN
	// Reason is the text after the number (may be empty).
	Reason string
}

// ParseTNStatus parses a per-number status string. It never fails: text that
// does not parse is returned with Parsed false and Raw set.
func ParseTNStatus(s string) TNStatus {
	st := TNStatus{Raw: s}
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "success") {
		st.Parsed, st.OK = true, true
		return st
	}
	if len(t) < 2 || t[0] != '{' || t[len(t)-1] != '}' {
		return st
	}
	inner := t[1 : len(t)-1]
	var entries []TNStatusEntry
	for len(inner) > 0 {
		key, rest, ok := cutKey(inner)
		if !ok {
			return st
		}
		end := groupEnd(rest)
		if end < 0 {
			return st
		}
		for _, item := range splitItems(rest[:end]) {
			entries = append(entries, parseItem(key, item))
		}
		inner = rest[end+1:]
		if inner == "" {
			break
		}
		if !strings.HasPrefix(inner, ", ") && !strings.HasPrefix(inner, ",") {
			return st
		}
		inner = strings.TrimLeft(strings.TrimPrefix(inner, ","), " ")
		if inner == "" {
			return st
		}
	}
	st.Parsed = true
	st.Entries = entries
	return st
}

// cutKey reads `key=[` at the start of s and returns the key and the text
// after the bracket.
func cutKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) && isKeyChar(s[i]) {
		i++
	}
	if i == 0 || !strings.HasPrefix(s[i:], "=[") {
		return "", "", false
	}
	return s[:i], s[i+2:], true
}

func isKeyChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// groupEnd returns the index of the "]" that closes the group starting at s:
// the first "]" followed by the end of the text or by ", key=[". Reasons may
// therefore contain brackets.
func groupEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != ']' {
			continue
		}
		after := s[i+1:]
		if after == "" {
			return i
		}
		next := strings.TrimLeft(strings.TrimPrefix(after, ","), " ")
		if len(next) < len(after) {
			if _, _, ok := cutKey(next); ok {
				return i
			}
		}
	}
	return -1
}

// splitItems splits a group body on ", " followed by a number of 10 or more
// digits.
func splitItems(body string) []string {
	if strings.TrimSpace(body) == "" {
		return nil
	}
	var items []string
	start := 0
	for i := 0; i+2 <= len(body); i++ {
		if body[i] != ',' || body[i+1] != ' ' {
			continue
		}
		if n := leadingDigits(body[i+2:]); n >= 10 {
			items = append(items, body[start:i])
			start = i + 2
		}
	}
	return append(items, body[start:])
}

func parseItem(key, item string) TNStatusEntry {
	n := leadingDigits(item)
	if n >= 10 && (n == len(item) || item[n] == ' ') {
		return TNStatusEntry{Key: key, TN: TN(item[:n]), Reason: strings.TrimSpace(item[n:])}
	}
	return TNStatusEntry{Key: key, Reason: strings.TrimSpace(item)}
}

func leadingDigits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
