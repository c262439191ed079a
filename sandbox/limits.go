package sandbox

import (
	"strings"
	"unicode/utf8"
)

// guideLimit is one row of the guide's Character Limits table (guide
// 13309-13352; the rows before accountPin are missing from the guide's
// text) or an allowed-value list of an operation table. A request whose
// field breaks one is refused as a whole, before anything changes, with
// 414 "Invalid value entered for: <field>" (the guide's 414 text, e.g.
// "Invalid value entered for: updateAction").
type guideLimit struct {
	field  string
	max    int      // characters; 0 = no limit
	values []string // allowed values, case-insensitive; nil = any
	line   int      // the guide's line
}

// Constant tables, one per group of the Character Limits table.
var (
	// endUser, guide 13312-13321. typeOfService: the table allows "B and
	// R" (1 character), the operation tables (e.g. guide 1620) also
	// "Business" and "Residence": both are accepted (DESIGN: where the
	// guide contradicts itself the sandbox accepts both).
	endUserLimits = []guideLimit{
		{"name", 32, nil, 13313},
		{"streetNum", 10, nil, 13314},
		{"streetPreDir", 2, nil, 13315},
		{"streetName", 50, nil, 13316},
		{"streetType", 10, nil, 13317},
		{"city", 32, nil, 13318},
		{"state", 2, nil, 13319},
		{"postalCode", 10, nil, 13320},
		{"typeOfService", 0, []string{"B", "R", "Business", "Residence"}, 13321}, // and 1628
	}
	// callerId, guide 13322-13323: callingName 15. The "at least one
	// letter" rule (guide 1634) stays a feature exclusion ("Calling Name
	// is not valid"), as the sandbox has always answered it.
	callerIDLimits = []guideLimit{
		{"cnamDip", 0, []string{"Y", "N"}, 1635},
	}
	// directoryListing, guide 13324-13337.
	dlLimits = []guideLimit{
		{"lastName", 50, nil, 13325},
		{"firstName", 50, nil, 13326},
		{"streetNum", 10, nil, 13329},
		{"streetPreDir", 2, nil, 13330},
		{"streetName", 50, nil, 13331},
		{"streetType", 10, nil, 13332},
		{"streetPostDir", 2, nil, 13333},
		{"location", 30, nil, 13334},
		{"city", 35, nil, 13335},
		{"state", 2, nil, 13336},
		{"postalCode", 10, nil, 13337},
	}
	// e911, guide 13338-13347 (name and location: printable ASCII).
	e911Limits = []guideLimit{
		{"name", 32, nil, 13339},
		{"origStreetNum", 10, nil, 13340},
		{"origStreetInfo", 48, nil, 13341},
		{"origLocation", 60, nil, 13342},
		{"origCity", 32, nil, 13343},
		{"origState", 2, nil, 13344},
		{"origPostalCode", 10, nil, 13346},
		{"origPostalCodePlusFour", 4, nil, 13347},
	}
	// messaging, guide 13348-13352. The table swaps messageClass and
	// messageType against every operation table (tnOrder, guide 1650-1651:
	// messageClass P2P, A2PLC, A2P8XX; messageType SMS, MMS, ...), and its
	// limits 5 and 6 cannot hold SMSMMS_ALT: the values are checked (either
	// naming is accepted), the lengths are not.
	messagingLimits = []guideLimit{
		{"messageClass", 0, append(append([]string(nil), messageClasses...), messageTypes...), 1659},
		{"messageType", 0, append(append([]string(nil), messageTypes...), messageClasses...), 1660},
		{"altSpid", 10, nil, 13351},
		{"netNumberId", 10, nil, 13352},
	}
	// port-in item fields, guide 13309-13311 (authDate's format is
	// checked by portInOrder itself).
	portInLimits = []guideLimit{
		{"accountPin", 15, nil, 13309},
		{"authName", 50, nil, 13310},
		{"authDate", 10, nil, 13311},
	}
	// tnE911 and tnE911Validate send the e911 group flat, under other
	// names (guide 3256-3265).
	tnE911Limits = []guideLimit{
		{"name", 32, nil, 13339},
		{"streetNum", 10, nil, 13340},
		{"streetInfo", 48, nil, 13341},
		{"location", 60, nil, 13342},
		{"city", 32, nil, 13343},
		{"state", 2, nil, 13344},
		{"postalCode", 10, nil, 13346},
		{"postalCodePlusFour", 4, nil, 13347},
	}
)

// breaks returns the first field of f that breaks a limit, or "".
func breaks(f fields, limits []guideLimit) string {
	for _, l := range limits {
		v, ok := f[l.field]
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if l.max > 0 && utf8.RuneCountInString(v) > l.max {
			return l.field
		}
		if l.values != nil && v != "" {
			if _, ok := oneOf(v, l.values); !ok {
				return l.field
			}
		}
	}
	return ""
}

// itemLimits checks an item's endUser and tnFeature groups; removing a
// feature (removeTnFeature=Y) needs none of its fields.
func itemLimits(endUser fields, tf *tnFeature) answer {
	if f := breaks(endUser, endUserLimits); f != "" {
		return invalidValue(f)
	}
	if tf == nil {
		return nil
	}
	for _, g := range []struct {
		f      fields
		limits []guideLimit
	}{{tf.DirectoryListing, dlLimits}, {tf.E911, e911Limits}, {tf.Messaging, messagingLimits}, {tf.CallerID, callerIDLimits}} {
		if removing(g.f) {
			continue
		}
		if f := breaks(g.f, g.limits); f != "" {
			return invalidValue(f)
		}
	}
	return nil
}

// tnItemsLimits checks every item of a telephone-number request.
func tnItemsLimits(items []tnItem) answer {
	for i := range items {
		if bad := itemLimits(items[i].EndUser, items[i].TnFeature); bad != nil {
			return bad
		}
	}
	return nil
}

// tnOrder's "one of these is required" rules: the e911 fields marked ***
// (guide 1650-1656, footnote 1665) and the messaging fields marked ****
// (guide 1659-1660, footnote 1667) are required when the group is sent.
var (
	e911Required      = []string{"name", "origStreetNum", "origStreetInfo", "origCity", "origState", "origPostalCode"}
	messagingRequired = []string{"messageClass", "messageType"}
)

// featureRequired names the first required feature field an item lacks.
func featureRequired(tf *tnFeature) answer {
	if tf == nil {
		return nil
	}
	for _, g := range []struct {
		f    fields
		keys []string
	}{{tf.E911, e911Required}, {tf.Messaging, messagingRequired}} {
		if len(g.f) == 0 || removing(g.f) {
			continue
		}
		for _, k := range g.keys {
			if g.f.get(k) == "" {
				return required(k)
			}
		}
	}
	return nil
}

// flatFields turns a flat request's named values into fields for breaks.
func flatFields(kv ...string) fields {
	f := fields{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			f[kv[i]] = kv[i+1]
		}
	}
	return f
}

// tfItemsLimits checks every item of a toll-free request.
func tfItemsLimits(items []tfItem) answer {
	for i := range items {
		if bad := itemLimits(nil, items[i].TnFeature); bad != nil {
			return bad
		}
	}
	return nil
}

// portItemsLimits checks every item of a port-in request.
func portItemsLimits(items []portInItem) answer {
	for i := range items {
		it := &items[i]
		if f := breaks(flatFields("accountPin", string(it.AccountPin), "authName", it.AuthName, "authDate", it.AuthDate), portInLimits); f != "" {
			return invalidValue(f)
		}
		if bad := itemLimits(it.EndUser, it.TnFeature); bad != nil {
			return bad
		}
	}
	return nil
}
