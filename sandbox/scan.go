package sandbox

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/internal/jsonscan"
)

// At --rate 1000 the sandbox reads 100-number requests a thousand times a
// second, and encoding/json's reflection, double scans and per-value
// decoders were most of its cost. The helpers here take the common shapes
// in one strict pass and give up (ok=false) on anything they are not sure
// of, so that encoding/json decides it as before: what is accepted, and
// how, never changes.

// plainJSONInt reports whether b is a JSON integer without sign, fraction
// or exponent (6123453622).
func plainJSONInt(b []byte) bool {
	if len(b) == 0 || len(b) > 1 && b[0] == '0' {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// scanner is jsonscan's one-pass reader, with the sandbox's own helpers.
type scanner struct{ jsonscan.Scanner }

// privateKeyOf reads the request's top-level privateKey in one pass (nil
// when absent or null), and gives up on what encoding/json must decide: a
// key in another case or with escapes, a non-string value, invalid JSON.
func privateKeyOf(body []byte) (key *string, ok bool) {
	sc := scanner{jsonscan.Scanner{B: body}}
	ok = sc.Object(func(k []byte) bool {
		if string(k) != "privateKey" {
			return !strings.EqualFold(string(k), "privateKey") && sc.Skip()
		}
		lit, ok := sc.Scalar()
		switch {
		case !ok:
			return false
		case string(lit) == "null":
			key = nil
			return true
		case lit[0] != '"':
			return false
		}
		s, plain := jsonscan.PlainString(lit)
		if !plain && json.Unmarshal(lit, &s) != nil {
			return false
		}
		key = &s
		return true
	})
	return key, ok && sc.End()
}

// scalarFields decodes an object into fields the way fields.UnmarshalJSON
// does (scalars as text, nested values dropped, the last of a repeated key
// kept), for objects whose keys are plain.
func scalarFields(b []byte) (fields, bool) {
	sc := scanner{jsonscan.Scanner{B: b}}
	var out fields
	ok := sc.Object(func(k []byte) bool {
		if c := sc.Next(); c == '{' || c == '[' {
			delete(out, string(k)) // a nested value drops the key, even one given before
			return sc.Skip()
		}
		lit, ok := sc.Scalar()
		if !ok {
			return false
		}
		var v string
		switch lit[0] {
		case 'n':
		case '"':
			var plain bool
			if v, plain = jsonscan.PlainString(lit); !plain && json.Unmarshal(lit, &v) != nil {
				return false
			}
		default:
			v = string(lit)
		}
		if out == nil {
			out = make(fields, 4)
		}
		out[string(k)] = v
		return true
	})
	if !ok || !sc.End() {
		return nil, false
	}
	if out == nil {
		out = fields{}
	}
	return out, true
}

// other reads the value of a key the caller does not decode: skipped, or
// a give-up when encoding/json would match it to one of known (it folds
// case).
func (sc *scanner) other(key []byte, known ...string) bool {
	for _, k := range known {
		if strings.EqualFold(k, string(key)) {
			return false
		}
	}
	return sc.Skip()
}

// once reports whether bit is not yet in *seen and adds it: a key given
// twice is left to encoding/json (which merges or keeps the last).
func once(seen *uint, bit uint) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// fastRequest is a request with a one-pass decoder; decodeFast fills the
// zero request and reports whether it could (when not, the request is
// left zero for encoding/json).
type fastRequest interface{ decodeFast(body []byte) bool }

// decodeRequest decodes body into req: with its one-pass decoder when it
// has one and the body has the shape it knows, otherwise encoding/json.
func decodeRequest(body []byte, req any) error {
	if f, ok := req.(fastRequest); ok && f.decodeFast(body) {
		return nil
	}
	return json.Unmarshal(body, req)
}

func (r *tnNoteReq) decodeFast(body []byte) bool {
	sc := scanner{jsonscan.Scanner{B: body}}
	var seen uint
	ok := sc.Object(func(k []byte) bool {
		if string(k) != "tnNote" {
			return sc.other(k, "tnNote")
		}
		if !once(&seen, 1) {
			return false
		}
		if sc.Null() {
			return true
		}
		var seenList uint
		return sc.Object(func(k []byte) bool {
			if string(k) != "tnList" {
				return sc.other(k, "tnList")
			}
			return once(&seenList, 1) && r.TnNote.TnList.decodeFast(&sc)
		})
	})
	if ok && sc.End() {
		return true
	}
	*r = tnNoteReq{}
	return false
}

// decodeFast reads {"tnItem": [...]} or null.
func (l *tnList) decodeFast(sc *scanner) bool {
	if sc.Null() {
		return true
	}
	var seen uint
	return sc.Object(func(k []byte) bool {
		if string(k) != "tnItem" {
			return sc.other(k, "tnItem")
		}
		if !once(&seen, 1) {
			return false
		}
		if sc.Null() {
			l.TnItem = nil
			return true
		}
		items := make([]tnItem, 0, 100)
		if !sc.Array(func() bool {
			items = append(items, tnItem{})
			return items[len(items)-1].decodeFast(sc)
		}) {
			return false
		}
		l.TnItem = items
		return true
	})
}

var tnItemKeys = [...]string{"tn", "trunkGroup", "portOutPin", "tnNote", "endUser", "tnFeature"}

func (it *tnItem) decodeFast(sc *scanner) bool {
	var seen uint
	return sc.Object(func(k []byte) bool {
		i := slices.Index(tnItemKeys[:], string(k))
		if i < 0 {
			return sc.other(k, tnItemKeys[:]...)
		}
		if !once(&seen, 1<<i) {
			return false
		}
		switch i {
		case 0, 2: // tn, portOutPin: scalars through their UnmarshalJSON
			lit, ok := sc.Scalar()
			if !ok {
				return false
			}
			if i == 0 {
				return it.TN.UnmarshalJSON(lit) == nil
			}
			return it.PortOutPin.UnmarshalJSON(lit) == nil
		case 1, 3: // trunkGroup, tnNote: strings (null leaves them empty)
			dst := &it.TrunkGroup
			if i == 3 {
				dst = &it.TnNote
			}
			return sc.stringInto(dst)
		case 4: // endUser
			raw, ok := sc.Raw()
			return ok && it.EndUser.UnmarshalJSON(raw) == nil
		default: // tnFeature
			if sc.Null() {
				return true
			}
			raw, ok := sc.Raw()
			if !ok || raw[0] != '{' {
				return false
			}
			it.TnFeature = new(tnFeature)
			return json.Unmarshal(raw, it.TnFeature) == nil
		}
	})
}

func (r *tnDetailReq) decodeFast(body []byte) bool {
	sc := scanner{jsonscan.Scanner{B: body}}
	var seen uint
	ok := sc.Object(func(k []byte) bool {
		switch string(k) {
		case "tnSearchList":
			if !once(&seen, 1) {
				return false
			}
			if sc.Null() {
				return true
			}
			var seenItems uint
			return sc.Object(func(k []byte) bool {
				if string(k) != "tnSearchItem" {
					return sc.other(k, "tnSearchItem")
				}
				if !once(&seenItems, 1) {
					return false
				}
				if sc.Null() {
					return true
				}
				// Items that are a tnMask alone (a snapshot read, a
				// lookup by number) are kept as masks, without a map
				// each; the first other item turns them all into fields.
				items := make([]fields, 0, 100)
				masks := make([]string, 0, 100)
				allMasks := true
				if !sc.Array(func() bool {
					raw, ok := sc.Raw()
					if !ok {
						return false
					}
					if allMasks {
						if m, ok := maskOnlyItem(raw); ok {
							masks = append(masks, m)
							return true
						}
						allMasks = false
						for _, m := range masks {
							items = append(items, fields{"tnMask": m})
						}
					}
					var f fields
					if err := f.UnmarshalJSON(raw); err != nil {
						return false
					}
					items = append(items, f)
					return true
				}) {
					return false
				}
				if allMasks && len(masks) > 0 {
					r.masks = masks
					return true
				}
				r.TnSearchList.TnSearchItem = items
				return true
			})
		case "pageSort":
			if !once(&seen, 2) {
				return false
			}
			if sc.Null() {
				return true
			}
			raw, ok := sc.Raw()
			if !ok || raw[0] != '{' {
				return false
			}
			r.PageSort = new(pageSort)
			return json.Unmarshal(raw, r.PageSort) == nil
		}
		return sc.other(k, "tnSearchList", "pageSort")
	})
	if ok && sc.End() {
		return true
	}
	*r = tnDetailReq{}
	return false
}

// maskOnlyItem reads a tnSearchItem that is exactly {"tnMask": "..."}, a
// string without escapes, as fields.UnmarshalJSON would read it.
func maskOnlyItem(raw []byte) (string, bool) {
	sc := scanner{jsonscan.Scanner{B: raw}}
	var mask string
	n := 0
	ok := sc.Object(func(k []byte) bool {
		n++
		if n > 1 || string(k) != "tnMask" || sc.Next() != '"' {
			return false
		}
		lit, plain, ok := sc.Str()
		if !ok || !plain {
			return false
		}
		mask = string(lit[1 : len(lit)-1])
		return true
	})
	return mask, ok && n == 1 && sc.End()
}

func (r *tnOrderReq) decodeFast(body []byte) bool {
	sc := scanner{jsonscan.Scanner{B: body}}
	var seen uint
	ok := sc.Object(func(k []byte) bool {
		if string(k) != "tnOrder" {
			return sc.other(k, "tnOrder")
		}
		if !once(&seen, 1) {
			return false
		}
		if sc.Null() {
			return true
		}
		var seenIn uint
		return sc.Object(func(k []byte) bool {
			switch string(k) {
			case "customerOrderReference":
				return once(&seenIn, 1) && sc.stringInto(&r.TnOrder.CustomerOrderReference)
			case "tnList":
				return once(&seenIn, 2) && r.TnOrder.TnList.decodeFast(&sc)
			}
			return sc.other(k, "customerOrderReference", "tnList")
		})
	})
	if ok && sc.End() {
		return true
	}
	*r = tnOrderReq{}
	return false
}

// stringInto decodes a string member (null leaves it unchanged, as in
// encoding/json).
func (sc *scanner) stringInto(dst *string) bool {
	if sc.Null() {
		return true
	}
	if sc.Next() != '"' {
		return false
	}
	lit, plain, ok := sc.Str()
	if !ok {
		return false
	}
	if plain {
		*dst = string(lit[1 : len(lit)-1])
		return true
	}
	return json.Unmarshal(lit, dst) == nil
}

// decodeFast reads a journal line; Req is a slice of line (not a copy).
func (je *journalEntry) decodeFast(line []byte) bool {
	sc := scanner{jsonscan.Scanner{B: line}}
	var seen uint
	ok := sc.Object(func(k []byte) bool {
		switch string(k) {
		case "t":
			lit, ok := sc.Scalar()
			return ok && once(&seen, 1) && lit[0] == '"' && je.T.UnmarshalJSON(lit) == nil
		case "op":
			return once(&seen, 2) && sc.stringInto(&je.Op)
		case "req":
			raw, ok := sc.Raw()
			if !ok || !once(&seen, 4) {
				return false
			}
			je.Req = raw
			return true
		case "featureFail":
			lit, ok := sc.Scalar()
			if !ok || !once(&seen, 8) || lit[0] == '"' || lit[0] == 't' || lit[0] == 'f' {
				return false
			}
			return json.Unmarshal(lit, &je.FeatureFail) == nil
		}
		return sc.other(k, "t", "op", "req", "featureFail")
	})
	if ok && sc.End() {
		return true
	}
	*je = journalEntry{}
	return false
}
