package sandbox

import (
	"strconv"
	"strings"
)

// The address book behind tnE911Validate and tnE911: a small, fixed list of
// streets. It answers the guide's own examples as the guide prints them and
// gives testers predictable inputs for each validation result (doc.go):
//
//   - 0 "Valid address": a street of the book spelled exactly (pre-
//     directional, name and suffix; "Street"/"St" and "Avenue"/"Ave" are the
//     same), a house number in its range, its city, state and ZIP, e.g.
//     550 W Adams St, Chicago IL 60661.
//   - 1 corrected: one street of the book matches the name but the
//     pre-directional or the suffix is missing or different ("Changed address
//     component"), the ZIP is another one of the same city ("Corrected ZIP
//     Code") or the city is misspelled with the right ZIP, e.g. 550 W Adams,
//     Chicago IL 60601 → 550 W Adams St 60661 (the guide's example) or
//     100 Michigan, Chicago IL 60611 → 100 N Michigan Ave.
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

// addressBook is constant data.
var addressBook = []street{
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

// validateAddress looks a up in the address book.
func validateAddress(a e911Address) validation {
	num := strings.TrimSpace(a.streetNum)
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return validation{result: 2, msg: msgNoCorrect, num: num}
	}
	pre, name, suf := splitStreet(a.streetInfo)
	state := strings.ToUpper(strings.TrimSpace(a.state))
	city := strings.ToUpper(strings.TrimSpace(a.city))
	zip := strings.TrimSpace(a.postalCode)
	var cands []street
	for _, s := range addressBook {
		if strings.ToUpper(s.name) != name || s.state != state || n < s.lo || n > s.hi {
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
	if s.preDir != pre || canonSuffix(s.suffix) != suf {
		msgs = append(msgs, msgComponent)
	}
	if len(msgs) == 1 {
		return validation{result: 0, msg: msgValid, corrected: &s, num: num}
	}
	return validation{result: 1, msg: strings.Join(msgs, "|"), corrected: &s, num: num}
}
