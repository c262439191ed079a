package sandbox

import (
	"encoding/json"
	"slices"
	"strconv"
)

// jsonAppender is an answer that writes its own JSON, byte for byte what
// json.Marshal writes for it, without reflection (writeJSON uses it).
type jsonAppender interface {
	appendJSON(dst []byte) []byte
}

// sizeHint is a first guess of an answer's size, so that it is written
// into one buffer instead of a chain of growing ones.
func sizeHint(v any) int {
	if d, ok := v.(tnDetailAnswer); ok {
		return 256 + 640*len(d.items)
	}
	return 1024
}

// appendString appends s as encoding/json writes a string (HTML
// characters escaped): printable ASCII directly, anything else through
// json.Marshal.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// appendMember appends "key":"value" and a comma unless last.
func appendMember(dst []byte, key, value string, last bool) []byte {
	dst = appendString(dst, key)
	dst = append(dst, ':')
	dst = appendString(dst, value)
	if !last {
		dst = append(dst, ',')
	}
	return dst
}

// appendFields appends f as json.Marshal does: keys sorted, null for nil.
func appendFields(dst []byte, f fields) []byte {
	if f == nil {
		return append(dst, "null"...)
	}
	if len(f) == 0 {
		return append(dst, "{}"...)
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		dst = appendMember(dst, k, f[k], i == len(keys)-1)
	}
	return append(dst, '}')
}

// appendJSON writes the item as json.Marshal does (its members in the
// order of its fields, which is their names' order).
func (it *tnDetailItem) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"activateDate":`...)
	dst = appendString(dst, it.ActivateDate)
	dst = append(dst, `,"activateUser":`...)
	dst = appendString(dst, it.ActivateUser)
	dst = append(dst, `,"countryCode":`...)
	dst = appendString(dst, it.CountryCode)
	dst = append(dst, `,"endUser":`...)
	dst = appendFields(dst, it.EndUser)
	dst = append(dst, `,"lata":`...)
	dst = appendString(dst, it.Lata)
	dst = append(dst, `,"locName":`...)
	dst = appendString(dst, it.LocName)
	dst = append(dst, `,"portOutPin":`...)
	dst = appendString(dst, it.PortOutPin)
	dst = append(dst, `,"province":`...)
	dst = appendString(dst, it.Province)
	dst = append(dst, `,"rateCenter":`...)
	dst = appendString(dst, it.RateCenter)
	dst = append(dst, `,"rateCenterTier":`...)
	dst = appendString(dst, it.RateCenterTier)
	dst = append(dst, `,"tn":`...)
	dst = strconv.AppendUint(dst, it.TN, 10)
	dst = append(dst, `,"tnFeature":{"callerId":`...)
	dst = appendFields(dst, it.TnFeature.CallerID)
	dst = append(dst, `,"directoryListing":`...)
	dst = appendFields(dst, it.TnFeature.DirectoryListing)
	dst = append(dst, `,"e911":`...)
	dst = appendFields(dst, it.TnFeature.E911)
	dst = append(dst, `,"messaging":`...)
	dst = appendFields(dst, it.TnFeature.Messaging)
	dst = append(dst, `},"tnNote":`...)
	dst = appendString(dst, it.TnNote)
	dst = append(dst, `,"tnSource":`...)
	dst = appendString(dst, it.TnSource)
	dst = append(dst, `,"tnStatus":`...)
	dst = appendString(dst, it.TnStatus)
	dst = append(dst, `,"trunkGroup":`...)
	dst = appendString(dst, it.TrunkGroup)
	dst = append(dst, `,"wireless":`...)
	dst = appendString(dst, it.Wireless)
	return append(dst, '}')
}

// tnDetailAnswer is a page of tnDetail: the bytes of
// obj{success(), {"page", "searchId", "tnList": {"tnItem": items},
// "totalItems", "totalPages"}}, written without maps or reflection.
type tnDetailAnswer struct {
	page, totalPages, totalItems, searchID string
	items                                  []tnDetailItem
}

func (tnDetailAnswer) head() envelope { return success() }

func (a tnDetailAnswer) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"page":`...)
	dst = appendString(dst, a.page)
	dst = append(dst, `,"searchId":`...)
	dst = appendString(dst, a.searchID)
	dst = append(dst, `,"status":"Success","statusCode":"200","tnList":{"tnItem":`...)
	if a.items == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range a.items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = a.items[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `},"totalItems":`...)
	dst = appendString(dst, a.totalItems)
	dst = append(dst, `,"totalPages":`...)
	dst = appendString(dst, a.totalPages)
	return append(dst, '}')
}

// MarshalJSON is appendJSON, for callers that use encoding/json.
func (a tnDetailAnswer) MarshalJSON() ([]byte, error) { return a.appendJSON(nil), nil }

// appendJSON writes the journal line as json.Marshal does, without
// compacting the request a second time (json.Marshal made it compact).
func (je *journalEntry) appendJSON(dst []byte) ([]byte, error) {
	t, err := je.T.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dst = append(dst, `{"t":`...)
	dst = append(dst, t...)
	dst = append(dst, `,"op":`...)
	dst = appendString(dst, je.Op)
	dst = append(dst, `,"req":`...)
	if je.Req == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, je.Req...)
	}
	if je.FeatureFail != 0 {
		ff, err := json.Marshal(je.FeatureFail)
		if err != nil {
			return nil, err
		}
		dst = append(dst, `,"featureFail":`...)
		dst = append(dst, ff...)
	}
	return append(dst, '}'), nil
}
