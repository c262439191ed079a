package sandbox

import (
	"encoding/json"
	"strings"
	"time"
)

// The international world: the countries of the guide's examples (France,
// Netherlands, Spain, United Kingdom) plus Germany, each with area codes,
// number types and routing options. intlNumberTypes answers under the
// heading's spelling int1NumberTypes too.

type intlCountry struct {
	name, ref, code string
	areaCodes       []struct{ code, city string }
	numberTypes     []struct{ name, ref string }
	routing         []string
}

// intlCountries is constant reference data.
var intlCountries = []intlCountry{
	{"France", "FRA", "33", []struct{ code, city string }{{"5", "Bordeaux"}, {"3", "Boulogne"}, {"2", "Brest"}, {"495", "Corsica"}, {"4", "Lyon"}, {"1", "Paris"}},
		[]struct{ name, ref string }{{"Inbound DID", "INBDID"}, {"Toll Free", "TOLLFREE"}}, []string{"Cleveland", "Voice Platform"}},
	{"Netherlands", "NLD", "31", []struct{ code, city string }{{"20", "Amsterdam"}, {"10", "Rotterdam"}, {"70", "The Hague"}},
		[]struct{ name, ref string }{{"Inbound DID", "INBDID"}}, []string{"Cleveland", "Voice Platform"}},
	{"Spain", "ESP", "34", []struct{ code, city string }{{"91", "Madrid"}, {"93", "Barcelona"}},
		[]struct{ name, ref string }{{"Inbound DID", "INBDID"}, {"Toll Free", "TOLLFREE"}}, []string{"Voice Platform"}},
	{"United Kingdom", "GBR", "44", []struct{ code, city string }{{"20", "London"}, {"161", "Manchester"}, {"131", "Edinburgh"}},
		[]struct{ name, ref string }{{"Inbound DID", "INBDID"}, {"National", "NATIONAL"}, {"Toll Free", "TOLLFREE"}}, []string{"Cleveland", "Voice Platform"}},
	{"Germany", "DEU", "49", []struct{ code, city string }{{"30", "Berlin"}, {"89", "Munich"}, {"69", "Frankfurt"}},
		[]struct{ name, ref string }{{"Inbound DID", "INBDID"}}, []string{"Voice Platform"}},
}

func intlCountryOf(ref string) *intlCountry {
	for i := range intlCountries {
		if strings.EqualFold(intlCountries[i].ref, strings.TrimSpace(ref)) {
			return &intlCountries[i]
		}
	}
	return nil
}

func (s *Server) intlCountryList(_ time.Time, _ []byte) answer {
	list := make([]map[string]any, len(intlCountries))
	for i, c := range intlCountries {
		list[i] = map[string]any{"countryName": c.name, "countryRef": c.ref, "countryCode": c.code}
	}
	return obj{success(), map[string]any{"countryList": list}}
}

// intlCountryReq reads countryRef; the area-code example's key has a
// trailing space ("countryRef "), accepted too.
func intlCountryReq(raw []byte) (*intlCountry, answer) {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, badRequest(err)
	}
	var ref flexString
	for k, v := range req {
		if strings.TrimSpace(k) == "countryRef" {
			_ = ref.UnmarshalJSON(v)
		}
	}
	if strings.TrimSpace(string(ref)) == "" {
		return nil, required("countryRef")
	}
	c := intlCountryOf(string(ref))
	if c == nil {
		return nil, fail("430", "No records found")
	}
	return c, nil
}

func (s *Server) intlAreaCodeInfo(_ time.Time, raw []byte) answer {
	c, bad := intlCountryReq(raw)
	if bad != nil {
		return bad
	}
	list := make([]map[string]any, len(c.areaCodes))
	for i, a := range c.areaCodes {
		list[i] = map[string]any{"countryRef": c.ref, "areaCode": a.code, "city": a.city, "prefix": c.code + a.code}
	}
	return obj{success(), map[string]any{"areaCodeList": list}}
}

func (s *Server) intlNumberTypes(_ time.Time, raw []byte) answer {
	c, bad := intlCountryReq(raw)
	if bad != nil {
		return bad
	}
	list := make([]map[string]any, len(c.numberTypes))
	for i, n := range c.numberTypes {
		list[i] = map[string]any{"numberType": n.name, "numberTypeRef": n.ref}
	}
	return obj{success(), map[string]any{"numberTypeList": list}}
}

func (s *Server) intlRoutingOptionList(_ time.Time, raw []byte) answer {
	c, bad := intlCountryReq(raw)
	if bad != nil {
		return bad
	}
	list := make([]map[string]any, len(c.routing))
	for i, r := range c.routing {
		list[i] = map[string]any{"routingOption": r}
	}
	return obj{success(), map[string]any{"intlRoutingOptionList": list}}
}
