package inteliquent

import (
	"encoding/json"
	"strings"

	"github.com/iqbulk/iqbulk/internal/jsonscan"
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
	// The answer's strings are substrings of one copy of it: one
	// allocation per answer rather than one per member (a 100-number page
	// has some 2,000).
	lx := lexer{Scanner: jsonscan.Scanner{B: raw}, src: string(raw)}
	if object(&lx, tnDetailResponseFields, r) && lx.End() {
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
		lit, ok := lx.Scalar()
		return ok && p(v).UnmarshalJSON(lit) == nil
	}
}

// ptr decodes an object member into a *S (null sets it nil).
func ptr[T, S any](p func(*T) **S, t fieldTable[S]) field[T] {
	return func(lx *lexer, v *T) bool {
		if lx.Null() {
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
	return func(lx *lexer, v *T) bool { return lx.Null() || object(lx, t, p(v)) }
}

// list decodes an array member of objects into a []S (null sets it nil).
func list[T, S any](p func(*T) *[]S, t fieldTable[S]) field[T] {
	return func(lx *lexer, v *T) bool {
		if lx.Null() {
			*p(v) = nil
			return true
		}
		out := make([]S, 0, 8)
		if !lx.Array(func() bool {
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

// lexer is jsonscan's one-pass reader, with the decoding of strings into
// fields.
type lexer struct {
	jsonscan.Scanner
	src string // string(B), when set: plain strings are its substrings
}

// object decodes an object into v with t. A key given twice, or a key that
// is not in t but matches one of its keys in another case (encoding/json
// folds case), gives up; other unknown keys are skipped. It walks the
// object itself rather than through jsonscan.Object's callback: a closure
// per object cost a fifth of the decode.
func object[T any](lx *lexer, t fieldTable[T], v *T) bool {
	if lx.Next() != '{' || !lx.Enter() {
		return false
	}
	lx.I++
	var seen uint64
	for first := true; ; first = false {
		c := lx.Next()
		if c == '}' && first {
			lx.I++
			lx.Leave()
			return true
		}
		if c != '"' {
			return false
		}
		key, ok := lx.Key()
		if !ok || lx.Next() != ':' {
			return false
		}
		lx.I++
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
			if !lx.Skip() {
				return false
			}
		}
		switch lx.Next() {
		case ',':
			lx.I++
		case '}':
			lx.I++
			lx.Leave()
			return true
		default:
			return false
		}
	}
}

// str decodes a string or null (which leaves *dst unchanged).
func (lx *lexer) str(dst *string) bool {
	switch lx.Next() {
	case '"':
		lit, plain, ok := lx.Str()
		if !ok {
			return false
		}
		if plain {
			if lx.src != "" {
				end := lx.I - 1 // lit is B[lx.I-len(lit):lx.I]
				*dst = lx.src[end-len(lit)+2 : end]
			} else {
				*dst = string(lit[1 : len(lit)-1])
			}
			return true
		}
		return json.Unmarshal(lit, dst) == nil // escapes, UTF-8 checks
	case 'n':
		return lx.Null()
	}
	return false
}
