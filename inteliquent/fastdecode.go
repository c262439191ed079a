package inteliquent

import (
	"encoding/json"
	"strings"
)

// A tnDetail answer is read before every batch that changes numbers (the
// undo snapshot), 100 numbers at a time, and in 10,000-number pages by
// exports. encoding/json spends most of its time there on reflection, on
// scanning every byte twice (checkValid, then decoding) and on the lenient
// types' UnmarshalJSON calls. This file decodes the answer's usual shape in
// one pass with a table of its fields, and gives up (returns false) on
// anything it is not sure of — a key it does not know in another case, a
// key given twice, a value of an unexpected type, invalid JSON — so that
// encoding/json decides those, with its own result and its own errors. The
// lenient types decode through their own UnmarshalJSON methods, so what
// they accept never changes.

// fastDecoder is implemented by answers with a one-pass decoder. decodeFast
// fills the (zero) answer and reports whether it could; when it could not,
// the answer is left zero.
type fastDecoder interface{ decodeFast(raw []byte) bool }

// decodeAnswer decodes raw into resp: with its one-pass decoder when it has
// one and the answer has the shape it knows, otherwise with encoding/json.
func decodeAnswer(raw []byte, resp any) error {
	if f, ok := resp.(fastDecoder); ok && f.decodeFast(raw) {
		return nil
	}
	return json.Unmarshal(raw, resp)
}

func (r *TnDetailResponse) decodeFast(raw []byte) bool {
	if r.TnList.TnItem != nil || r.Envelope != (Envelope{}) || r.PageInfo != (PageInfo{}) {
		return false // not zero (a retried attempt): encoding/json merges
	}
	lx := lexer{b: raw}
	if object(&lx, tnDetailResponseFields, r) && lx.end() {
		return true
	}
	*r = TnDetailResponse{}
	return false
}

// ---- the field tables ----

// field decodes one member's value into a *T.
type field[T any] func(*lexer, *T) bool

// fieldTable maps a struct's JSON names to their decoders, and each name
// to a bit for the duplicate check (at most 64 members).
type fieldTable[T any] struct {
	fields map[string]field[T]
	bit    map[string]uint64
}

func table[T any](fields map[string]field[T]) fieldTable[T] {
	t := fieldTable[T]{fields: fields, bit: make(map[string]uint64, len(fields))}
	for k := range fields {
		if len(t.bit) == 64 {
			panic("inteliquent: a fast-decoded struct has more than 64 members")
		}
		t.bit[k] = 1 << len(t.bit)
	}
	return t
}

// str decodes a string member (null leaves it unchanged, as in
// encoding/json).
func str[T any](p func(*T) *string) field[T] {
	return func(lx *lexer, v *T) bool { return lx.str(p(v)) }
}

// lenient decodes a member through its type's UnmarshalJSON.
func lenient[T any](p func(*T) json.Unmarshaler) field[T] {
	return func(lx *lexer, v *T) bool {
		lit, ok := lx.scalar()
		return ok && p(v).UnmarshalJSON(lit) == nil
	}
}

// ptr decodes an object member into a *S (null sets it nil).
func ptr[T, S any](p func(*T) **S, t fieldTable[S]) field[T] {
	return func(lx *lexer, v *T) bool {
		if lx.null() {
			*p(v) = nil
			return true
		}
		dst := p(v)
		if *dst == nil {
			*dst = new(S)
		}
		return object(lx, t, *dst)
	}
}

// nested decodes an object member into an S (null leaves it unchanged).
func nested[T, S any](p func(*T) *S, t fieldTable[S]) field[T] {
	return func(lx *lexer, v *T) bool { return lx.null() || object(lx, t, p(v)) }
}

// list decodes an array member of objects into a []S (null sets it nil).
func list[T, S any](p func(*T) *[]S, t fieldTable[S]) field[T] {
	return func(lx *lexer, v *T) bool {
		if lx.null() {
			*p(v) = nil
			return true
		}
		out := make([]S, 0, 8)
		if !lx.array(func() bool {
			var zero S
			out = append(out, zero)
			return object(lx, t, &out[len(out)-1])
		}) {
			return false
		}
		*p(v) = out
		return true
	}
}

var callerIDFields = table(map[string]field[CallerID]{
	"callingName":     str(func(v *CallerID) *string { return &v.CallingName }),
	"cnamDip":         str(func(v *CallerID) *string { return &v.CnamDip }),
	"removeTnFeature": str(func(v *CallerID) *string { return &v.RemoveTnFeature }),
})

var directoryListingFields = table(map[string]field[DirectoryListing]{
	"lastName":        str(func(v *DirectoryListing) *string { return &v.LastName }),
	"firstName":       str(func(v *DirectoryListing) *string { return &v.FirstName }),
	"streetNum":       lenient(func(v *DirectoryListing) json.Unmarshaler { return &v.StreetNum }),
	"streetPreDir":    str(func(v *DirectoryListing) *string { return &v.StreetPreDir }),
	"streetName":      str(func(v *DirectoryListing) *string { return &v.StreetName }),
	"streetType":      str(func(v *DirectoryListing) *string { return &v.StreetType }),
	"streetPostDir":   str(func(v *DirectoryListing) *string { return &v.StreetPostDir }),
	"location":        str(func(v *DirectoryListing) *string { return &v.Location }),
	"city":            str(func(v *DirectoryListing) *string { return &v.City }),
	"state":           str(func(v *DirectoryListing) *string { return &v.State }),
	"postalCode":      lenient(func(v *DirectoryListing) json.Unmarshaler { return &v.PostalCode }),
	"removeTnFeature": str(func(v *DirectoryListing) *string { return &v.RemoveTnFeature }),
})

var e911Fields = table(map[string]field[E911]{
	"name":                   str(func(v *E911) *string { return &v.Name }),
	"origStreetNum":          lenient(func(v *E911) json.Unmarshaler { return &v.OrigStreetNum }),
	"origStreetInfo":         str(func(v *E911) *string { return &v.OrigStreetInfo }),
	"origLocation":           str(func(v *E911) *string { return &v.OrigLocation }),
	"origCity":               str(func(v *E911) *string { return &v.OrigCity }),
	"origState":              str(func(v *E911) *string { return &v.OrigState }),
	"origPostalCode":         lenient(func(v *E911) json.Unmarshaler { return &v.OrigPostalCode }),
	"origPostalCodePlusFour": lenient(func(v *E911) json.Unmarshaler { return &v.OrigPostalCodePlusFour }),
	"removeTnFeature":        str(func(v *E911) *string { return &v.RemoveTnFeature }),
})

var messagingFields = table(map[string]field[Messaging]{
	"messageClass":    str(func(v *Messaging) *string { return &v.MessageClass }),
	"messageType":     str(func(v *Messaging) *string { return &v.MessageType }),
	"netNumberId":     lenient(func(v *Messaging) json.Unmarshaler { return &v.NetNumberID }),
	"removeTnFeature": str(func(v *Messaging) *string { return &v.RemoveTnFeature }),
})

var tnFeatureFields = table(map[string]field[TnFeature]{
	"callerId":         ptr(func(v *TnFeature) **CallerID { return &v.CallerID }, callerIDFields),
	"directoryListing": ptr(func(v *TnFeature) **DirectoryListing { return &v.DirectoryListing }, directoryListingFields),
	"e911":             ptr(func(v *TnFeature) **E911 { return &v.E911 }, e911Fields),
	"messaging":        ptr(func(v *TnFeature) **Messaging { return &v.Messaging }, messagingFields),
})

var endUserFields = table(map[string]field[EndUser]{
	"name":           str(func(v *EndUser) *string { return &v.Name }),
	"streetNum":      lenient(func(v *EndUser) json.Unmarshaler { return &v.StreetNum }),
	"streetPreDir":   str(func(v *EndUser) *string { return &v.StreetPreDir }),
	"streetName":     str(func(v *EndUser) *string { return &v.StreetName }),
	"streetType":     str(func(v *EndUser) *string { return &v.StreetType }),
	"streetPostDir":  str(func(v *EndUser) *string { return &v.StreetPostDir }),
	"locationType1":  str(func(v *EndUser) *string { return &v.LocationType1 }),
	"locationValue1": lenient(func(v *EndUser) json.Unmarshaler { return &v.LocationValue1 }),
	"locationType2":  str(func(v *EndUser) *string { return &v.LocationType2 }),
	"locationValue2": lenient(func(v *EndUser) json.Unmarshaler { return &v.LocationValue2 }),
	"locationType3":  str(func(v *EndUser) *string { return &v.LocationType3 }),
	"locationValue3": lenient(func(v *EndUser) json.Unmarshaler { return &v.LocationValue3 }),
	"city":           str(func(v *EndUser) *string { return &v.City }),
	"state":          str(func(v *EndUser) *string { return &v.State }),
	"postalCode":     lenient(func(v *EndUser) json.Unmarshaler { return &v.PostalCode }),
	"typeOfService":  str(func(v *EndUser) *string { return &v.TypeOfService }),
	"status":         str(func(v *EndUser) *string { return &v.Status }),
})

var tnDetailItemFields = table(map[string]field[TnDetailItem]{
	"tn":             lenient(func(v *TnDetailItem) json.Unmarshaler { return &v.TN }),
	"trunkGroup":     str(func(v *TnDetailItem) *string { return &v.TrunkGroup }),
	"endUser":        ptr(func(v *TnDetailItem) **EndUser { return &v.EndUser }, endUserFields),
	"tnFeature":      ptr(func(v *TnDetailItem) **TnFeature { return &v.TnFeature }, tnFeatureFields),
	"lata":           lenient(func(v *TnDetailItem) json.Unmarshaler { return &v.Lata }),
	"rateCenter":     str(func(v *TnDetailItem) *string { return &v.RateCenter }),
	"locName":        str(func(v *TnDetailItem) *string { return &v.LocName }),
	"province":       str(func(v *TnDetailItem) *string { return &v.Province }),
	"tnStatus":       str(func(v *TnDetailItem) *string { return &v.TnStatus }),
	"rateCenterTier": lenient(func(v *TnDetailItem) json.Unmarshaler { return &v.RateCenterTier }),
	"countryCode":    lenient(func(v *TnDetailItem) json.Unmarshaler { return &v.CountryCode }),
	"tnSource":       str(func(v *TnDetailItem) *string { return &v.TnSource }),
	"activateDate":   str(func(v *TnDetailItem) *string { return &v.ActivateDate }),
	"activateUser":   str(func(v *TnDetailItem) *string { return &v.ActivateUser }),
	"wireless":       str(func(v *TnDetailItem) *string { return &v.Wireless }),
	"portOutPin":     str(func(v *TnDetailItem) *string { return &v.PortOutPin }),
	"tnNote":         str(func(v *TnDetailItem) *string { return &v.TnNote }),
})

type tnDetailList = struct {
	TnItem []TnDetailItem `json:"tnItem"`
}

var tnDetailListFields = table(map[string]field[tnDetailList]{
	"tnItem": list(func(v *tnDetailList) *[]TnDetailItem { return &v.TnItem }, tnDetailItemFields),
})

var tnDetailResponseFields = table(map[string]field[TnDetailResponse]{
	"status":     str(func(v *TnDetailResponse) *string { return &v.Status }),
	"statusCode": lenient(func(v *TnDetailResponse) json.Unmarshaler { return &v.StatusCode }),
	"message":    str(func(v *TnDetailResponse) *string { return &v.Message }),
	"tnList":     nested(func(v *TnDetailResponse) *tnDetailList { return &v.TnList }, tnDetailListFields),
	"page":       lenient(func(v *TnDetailResponse) json.Unmarshaler { return &v.Page }),
	"totalPages": lenient(func(v *TnDetailResponse) json.Unmarshaler { return &v.TotalPages }),
	"totalItems": lenient(func(v *TnDetailResponse) json.Unmarshaler { return &v.TotalItems }),
	"searchId":   lenient(func(v *TnDetailResponse) json.Unmarshaler { return &v.SearchID }),
})

// ---- the lexer ----

// lexer reads one JSON document strictly; every method reports false on
// anything it does not accept, and the caller gives up.
type lexer struct {
	b     []byte
	i     int
	depth int
}

const maxFastDepth = 64

func (lx *lexer) ws() {
	for lx.i < len(lx.b) {
		switch lx.b[lx.i] {
		case ' ', '\t', '\n', '\r':
			lx.i++
		default:
			return
		}
	}
}

// end reports whether only white space is left.
func (lx *lexer) end() bool {
	lx.ws()
	return lx.i == len(lx.b)
}

// next skips white space and returns the next byte (0 at the end).
func (lx *lexer) next() byte {
	lx.ws()
	if lx.i < len(lx.b) {
		return lx.b[lx.i]
	}
	return 0
}

// null consumes a null literal when one is next.
func (lx *lexer) null() bool {
	if lx.next() == 'n' && strings.HasPrefix(string(lx.b[lx.i:]), "null") {
		lx.i += 4
		return true
	}
	return false
}

// object decodes an object into v with t. A key given twice, or a key that
// is not in t but matches one of its keys in another case (encoding/json
// folds case), gives up; other unknown keys are skipped.
func object[T any](lx *lexer, t fieldTable[T], v *T) bool {
	if lx.next() != '{' || lx.depth >= maxFastDepth {
		return false
	}
	lx.i++
	lx.depth++
	var seen uint64
	for first := true; ; first = false {
		c := lx.next()
		if c == '}' && first {
			lx.i++
			lx.depth--
			return true
		}
		if c != '"' {
			return false
		}
		key, ok := lx.key()
		if !ok || lx.next() != ':' {
			return false
		}
		lx.i++
		if f, known := t.fields[string(key)]; known {
			bit := t.bit[string(key)]
			if seen&bit != 0 || !f(lx, v) {
				return false
			}
			seen |= bit
		} else {
			for k := range t.fields {
				if strings.EqualFold(k, string(key)) {
					return false
				}
			}
			if !lx.skip() {
				return false
			}
		}
		switch lx.next() {
		case ',':
			lx.i++
		case '}':
			lx.i++
			lx.depth--
			return true
		default:
			return false
		}
	}
}

// array calls elem for each element of an array.
func (lx *lexer) array(elem func() bool) bool {
	if lx.next() != '[' || lx.depth >= maxFastDepth {
		return false
	}
	lx.i++
	lx.depth++
	if lx.next() == ']' {
		lx.i++
		lx.depth--
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch lx.next() {
		case ',':
			lx.i++
		case ']':
			lx.i++
			lx.depth--
			return true
		default:
			return false
		}
	}
}

// key returns an object key's bytes; a key with escapes or bytes outside
// printable ASCII gives up.
func (lx *lexer) key() ([]byte, bool) {
	start := lx.i + 1
	for j := start; j < len(lx.b); j++ {
		switch c := lx.b[j]; {
		case c == '"':
			lx.i = j + 1
			return lx.b[start:j], true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// strLit returns the literal of the string that starts at lx.i (quotes
// included) and whether it is plain (no escapes, printable ASCII only); a
// literal that is not plain is checked by encoding/json.
func (lx *lexer) strLit() (lit []byte, plain, ok bool) {
	start := lx.i
	plain = true
	for j := start + 1; j < len(lx.b); j++ {
		switch c := lx.b[j]; {
		case c == '"':
			lx.i = j + 1
			lit = lx.b[start:lx.i]
			return lit, plain, plain || json.Valid(lit)
		case c == '\\':
			plain = false
			j++ // the escaped byte; encoding/json checks the escape
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			plain = false
		}
	}
	return nil, false, false
}

// str decodes a string or null (which leaves *dst unchanged).
func (lx *lexer) str(dst *string) bool {
	switch lx.next() {
	case '"':
		lit, plain, ok := lx.strLit()
		if !ok {
			return false
		}
		if plain {
			*dst = string(lit[1 : len(lit)-1])
			return true
		}
		return json.Unmarshal(lit, dst) == nil // escapes, UTF-8 checks
	case 'n':
		return lx.null()
	}
	return false
}

// scalar returns the literal of a string, number, true, false or null.
func (lx *lexer) scalar() ([]byte, bool) {
	switch c := lx.next(); {
	case c == '"':
		lit, _, ok := lx.strLit()
		return lit, ok
	case c == '-' || c >= '0' && c <= '9':
		return lx.number()
	default:
		for _, w := range [...]string{"null", "true", "false"} {
			if strings.HasPrefix(string(lx.b[lx.i:]), w) {
				lx.i += len(w)
				return lx.b[lx.i-len(w) : lx.i], true
			}
		}
	}
	return nil, false
}

// number reads a number with JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (lx *lexer) number() ([]byte, bool) {
	b, start := lx.b, lx.i
	j := start
	digits := func() int {
		n := 0
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	if j < len(b) && b[j] == '0' {
		j++
	} else if digits() == 0 {
		return nil, false
	}
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			return nil, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	lx.i = j
	return b[start:j], true
}

// skip reads any value without keeping it.
func (lx *lexer) skip() bool {
	switch lx.next() {
	case '{':
		if lx.depth >= maxFastDepth {
			return false
		}
		lx.i++
		lx.depth++
		if lx.next() == '}' {
			lx.i++
			lx.depth--
			return true
		}
		for {
			if lx.next() != '"' {
				return false
			}
			if _, _, ok := lx.strLit(); !ok || lx.next() != ':' {
				return false
			}
			lx.i++
			if !lx.skip() {
				return false
			}
			switch lx.next() {
			case ',':
				lx.i++
			case '}':
				lx.i++
				lx.depth--
				return true
			default:
				return false
			}
		}
	case '[':
		return lx.array(lx.skip)
	}
	_, ok := lx.scalar()
	return ok
}
