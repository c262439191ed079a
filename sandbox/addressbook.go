package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The address world behind tnE911Validate, tnE911 and the E911 feature of
// orders (tnOrder, tnFeatureOrder, tfOrder, tfFeatureOrder, port-in):
// the guide's own example streets (guideStreets) plus, for every city of
// the seeded world's rate centers, synthetic streets derived from the
// world's seed (names, suffixes, pre-directionals, house number ranges,
// ZIPs and plus-fours). Validation answers (guide 3473-3475, 11433-11435):
//
//   - 0 "Valid address": a street spelled exactly (pre-directional, name
//     and suffix; "Street"/"St" and "Avenue"/"Ave" are the same), a house
//     number in its range, its city, state and ZIP, e.g. 550 W Adams St,
//     Chicago IL 60661.
//   - 1 corrected: one street matches but the pre-directional or the
//     suffix is missing or different, or the name has one typo ("Changed
//     address component"), the ZIP is another one ("Corrected ZIP Code"),
//     or the city is misspelled with the right ZIP ("Corrected city
//     name"), e.g. 550 W Adams, Chicago IL 60601 → 550 W Adams St 60661
//     (the guide's example) or 100 Michigan, Chicago IL 60611 → 100 N
//     Michigan Ave.
//   - 2 with candidates: the name matches two streets that differ by their
//     pre-directional and none was given: 318 28th, Tucson AZ 85713 (the
//     guide's two candidates W 28th St / E 28th St) or 200 1st Ave, Phoenix
//     AZ 85003 (N 1st Ave / S 1st Ave).
//   - 2 without candidates: anything else, including a house number outside
//     the street's range (the guide's 55012345 Adams) or not a number.
type street struct {
	preDir, name, suffix string
	city, state          string
	zip, plus4           string
	lo, hi               int // house number range
}

// guideStreets is constant data: the streets of the guide's examples and
// a few more the tests and docs name.
var guideStreets = []street{
	{"W", "Adams", "St", "Chicago", "IL", "60661", "3665", 1, 1999},
	{"N", "Michigan", "Ave", "Chicago", "IL", "60611", "4401", 1, 999},
	{"W", "28th", "St", "Tucson", "AZ", "85713", "2848", 1, 999},
	{"E", "28th", "St", "Tucson", "AZ", "85713", "2942", 1, 999},
	{"N", "1st", "Ave", "Phoenix", "AZ", "85003", "1110", 1, 999},
	{"S", "1st", "Ave", "Phoenix", "AZ", "85003", "2120", 1, 999},
	{"", "Broadway", "", "New York", "NY", "10004", "1601", 1, 299},
	{"", "Main", "St", "Dallas", "TX", "75201", "4200", 100, 2999},
	{"", "Market", "St", "San Francisco", "CA", "94105", "2301", 1, 2999},
	{"", "Peachtree", "St", "Atlanta", "GA", "30303", "1810", 1, 999},
}

// streetNames and streetSuffixes are constant data for synthetic streets
// (none of them is a guide street's name, so a synthetic street never
// makes a guide example ambiguous).
var streetNames = []string{"Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Chestnut", "Spruce", "Willow", "Birch",
	"Washington", "Lincoln", "Jefferson", "Madison", "Monroe", "Jackson", "Franklin", "Hamilton", "Grant", "Harrison",
	"Lake", "Hill", "Park", "River", "Spring", "Meadow", "Forest", "Ridge", "Valley", "Sunset",
	"Highland", "Church", "School", "Mill", "Center", "Union", "Prospect", "Pleasant", "Academy", "Liberty",
	"2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "12th"}

var streetSuffixes = []string{"St", "Ave", "Blvd", "Rd", "Dr", "Ln", "Way", "Pl", "Ct"}

var streetPreDirs = []string{"N", "S", "E", "W"}

// streetsPerCity is how many synthetic streets each city has.
const streetsPerCity = 40

// addressWorld is every street the sandbox knows; it is derived from the
// world's seed and never changes.
type addressWorld struct {
	streets []street
}

// newAddressWorld derives the synthetic streets of every city of the
// rate centers from seed.
func newAddressWorld(seed int64) *addressWorld {
	aw := &addressWorld{streets: append([]street(nil), guideStreets...)}
	r := rand.New(rand.NewPCG(uint64(seed), 0xadd7e55))
	seenCity := map[string]bool{}
	for _, rc := range rateCenters {
		city := titleCase(rc.city)
		if seenCity[city+rc.state] {
			continue
		}
		seenCity[city+rc.state] = true
		zips := []string{rc.postal}
		if n, err := strconv.Atoi(rc.postal); err == nil && len(rc.postal) == 5 {
			zips = append(zips, fmt.Sprintf("%05d", n+1), fmt.Sprintf("%05d", n+2))
		}
		names := r.Perm(len(streetNames))[:streetsPerCity]
		for _, ni := range names {
			pre := ""
			if r.IntN(3) == 0 {
				pre = streetPreDirs[r.IntN(len(streetPreDirs))]
			}
			lo := 1 + 100*r.IntN(10)
			aw.streets = append(aw.streets, street{
				preDir: pre, name: streetNames[ni], suffix: streetSuffixes[r.IntN(len(streetSuffixes))],
				city: city, state: rc.state, zip: zips[r.IntN(len(zips))], plus4: fmt.Sprintf("%04d", 1000+r.IntN(9000)),
				lo: lo, hi: lo + 499 + 100*r.IntN(40),
			})
		}
	}
	return aw
}

// titleCase turns "SAN PEDRO" into "San Pedro".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// E911Address is a 911 address of the sandbox's address world, in the
// request fields of tnE911 and tnE911Validate.
type E911Address struct {
	StreetNum, StreetInfo, City, State, PostalCode, PostalCodePlusFour string
}

// E911Addresses returns n valid addresses of the address world,
// deterministically spread over its streets and house numbers, for tests,
// demos and rehearsal manifests.
func (s *Server) E911Addresses(n int) []E911Address {
	streets := s.st.w.addresses().streets
	out := make([]E911Address, 0, n)
	for i := 0; i < n; i++ {
		st := streets[i%len(streets)]
		round := i / len(streets)
		num := st.lo + (round*37)%(st.hi-st.lo+1)
		out = append(out, E911Address{strconv.Itoa(num), st.info(), st.city, st.state, st.zip, st.plus4})
	}
	return out
}

func (s street) info() string {
	return strings.Join(nonEmpty(s.preDir, s.name, s.suffix), " ")
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

var preDirs = map[string]string{"N": "N", "NORTH": "N", "S": "S", "SOUTH": "S", "E": "E", "EAST": "E", "W": "W", "WEST": "W",
	"NE": "NE", "NW": "NW", "SE": "SE", "SW": "SW"}

var suffixes = map[string]string{"ST": "ST", "STREET": "ST", "AVE": "AVE", "AV": "AVE", "AVENUE": "AVE", "BLVD": "BLVD",
	"BOULEVARD": "BLVD", "RD": "RD", "ROAD": "RD", "DR": "DR", "DRIVE": "DR", "LN": "LN", "LANE": "LN", "WAY": "WAY", "PL": "PL", "CT": "CT"}

// splitStreet reads "W Adams St" as pre-directional, name and suffix
// (canonical, upper case).
func splitStreet(s string) (pre, name, suf string) {
	toks := strings.Fields(strings.ToUpper(strings.ReplaceAll(s, ".", "")))
	if len(toks) > 1 {
		if p, ok := preDirs[toks[0]]; ok {
			pre, toks = p, toks[1:]
		}
	}
	if len(toks) > 1 {
		if x, ok := suffixes[toks[len(toks)-1]]; ok {
			suf, toks = x, toks[:len(toks)-1]
		}
	}
	return pre, strings.Join(toks, " "), suf
}

func canonSuffix(s string) string {
	if x, ok := suffixes[strings.ToUpper(s)]; ok {
		return x
	}
	return strings.ToUpper(s)
}

// e911Address is an address as a request sends it.
type e911Address struct {
	streetNum, streetInfo, location, city, state, postalCode string
}

// validation is the address book's answer.
type validation struct {
	result     int // 0 valid, 1 corrected, 2 not close enough
	msg        string
	corrected  *street // for 0 and 1
	num        string
	candidates []street // for 2
	noPreDir   bool     // the request had no pre-directional the street has
}

const (
	msgValid      = "Valid address"
	msgCorrected  = "Corrected to valid address"
	msgZIP        = "Corrected ZIP Code"
	msgComponent  = "Changed address component"
	msgNoCorrect  = "Invalid address - no correction found"
	msgMultiple   = "Multiple addresses found (may be missing pre-directional)"
	msgCityChange = "Corrected city name"
)

// validateAddress looks a up in the address world.
func (aw *addressWorld) validateAddress(a e911Address) validation {
	num := strings.TrimSpace(a.streetNum)
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return validation{result: 2, msg: msgNoCorrect, num: num}
	}
	pre, name, suf := splitStreet(a.streetInfo)
	state := strings.ToUpper(strings.TrimSpace(a.state))
	city := strings.ToUpper(strings.TrimSpace(a.city))
	zip := strings.TrimSpace(a.postalCode)
	match := func(typo bool) []street {
		var cands []street
		for _, s := range aw.streets {
			if s.state != state || n < s.lo || n > s.hi {
				continue
			}
			if sn := strings.ToUpper(s.name); sn != name && !(typo && len(sn) >= 4 && oneEdit(sn, name)) {
				continue
			}
			if strings.ToUpper(s.city) != city && s.zip != zip {
				continue
			}
			if pre != "" && s.preDir != pre {
				continue
			}
			cands = append(cands, s)
		}
		return cands
	}
	cands := match(false)
	typo := false
	if len(cands) == 0 {
		cands, typo = match(true), true
	}
	switch len(cands) {
	case 0:
		return validation{result: 2, msg: msgNoCorrect, num: num}
	case 1:
	default:
		return validation{result: 2, msg: msgNoCorrect + "|" + msgMultiple, num: num, candidates: cands}
	}
	s := cands[0]
	msgs := []string{msgCorrected}
	if s.zip != zip {
		msgs = append(msgs, msgZIP)
	}
	if strings.ToUpper(s.city) != city {
		msgs = append(msgs, msgCityChange)
	}
	if s.preDir != pre || canonSuffix(s.suffix) != suf || typo {
		msgs = append(msgs, msgComponent)
	}
	if len(msgs) == 1 {
		return validation{result: 0, msg: msgValid, corrected: &s, num: num}
	}
	return validation{result: 1, msg: strings.Join(msgs, "|"), corrected: &s, num: num, noPreDir: pre == "" && s.preDir != ""}
}

// Reasons of excludedE911Detail (guide 10126-10127: the one text the guide
// shows, for an address without its pre-directional).
const (
	reasonE911NotValidated = "The address given could not be validated.|Please verify that the provided address is correct."
	reasonE911MultipleText = "|Multiple addresses found (may be missing pre-directional)"
)

// orderE911Reason validates the E911 feature of an order item in the
// background, as the API does: only an address that validates as sent
// (validationResult 0) is provisioned; one that tnE911Validate would
// correct or cannot match is excluded into excludedE911Detail (the guide's
// example there excludes "550 Adams", which tnE911 itself corrects).
// origPostalCode 00000 never validates. "" means valid.
func (aw *addressWorld) orderE911Reason(f fields) string {
	if strings.TrimSpace(f.get("origPostalCode")) == "00000" {
		return reasonE911NotValidated
	}
	v := aw.validateAddress(e911Address{f.get("origStreetNum"), f.get("origStreetInfo"), f.get("origLocation"),
		f.get("origCity"), f.get("origState"), f.get("origPostalCode")})
	switch {
	case v.result == 0:
		return ""
	case v.noPreDir || len(v.candidates) > 1:
		return reasonE911NotValidated + reasonE911MultipleText
	}
	return reasonE911NotValidated
}

// oneEdit reports whether a and b differ by exactly one substitution,
// insertion, deletion or transposition of adjacent letters.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:]
	}
	return false
}
