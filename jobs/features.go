package jobs

import (
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/readers"
)

// This file holds the endUser and tnFeature columns that tn-order and
// tn-feature share: the guide's tnOrder and tnFeatureOrder item fields
// flattened into readable manifest columns (end_user_name, calling_name,
// dl_last_name, e911_street_info, messaging_class ...), their character
// limits (the guide's Character Limits table, readers.Limits) and the
// required-if rules of the tnOrder table:
//
//   - "***Required if tnFeature contains e911": name, origStreetNum,
//     origStreetInfo, origCity, origState, origPostalCode.
//   - "****Required if tnFeature contains messaging": messageClass and
//     messageType, together.
//   - "Type of service is automatically set to B if not sent and
//     callingName or directoryListing are present".

// Feature groups, named as the guide names the objects.
const (
	groupEndUser   = "endUser"
	groupCallerID  = "callerId"
	groupDL        = "directoryListing"
	groupE911      = "e911"
	groupMessaging = "messaging"
)

// featureField is one flattened endUser/tnFeature field.
type featureField struct {
	col     string // canonical manifest column
	group   string // the guide's object
	field   string // the guide's field name inside the object
	help    string
	example string
	aliases []string
	rules   []readers.Rule
	// required when any column of the group is set (and the feature is not
	// being removed).
	requiredInGroup bool
}

var (
	typeOfServiceValues = []string{"B", "Business", "R", "Residence"}
	// The operation tables' values (tnOrder, tnFeatureOrder); the Character
	// Limits table swaps the two names (docs/api-quirks.md).
	messageClassValues = []string{"P2P", "A2PLC", "A2P8XX"}
	messageTypeValues  = []string{"SMS", "MMS", "SMSMMS", "SMS_ALT", "MMS_ALT", "SMSMMS_ALT"}
)

// limit is the Character Limits entry of group.field.
func limit(group, field string) readers.Rule { return readers.MaxLenFor(group + "." + field) }

// featureFields lists every flattened field in manifest order. It is a
// function, not a package variable, so nothing is shared mutable state.
func featureFields() []featureField {
	eu := func(col, field, help, example string, rules ...readers.Rule) featureField {
		return featureField{col: col, group: groupEndUser, field: field, help: "end user " + help, example: example,
			aliases: []string{"endUser." + field, "end user " + field}, rules: rules}
	}
	dl := func(col, field, help, example string) featureField {
		return featureField{col: col, group: groupDL, field: field, help: "directory listing " + help, example: example,
			aliases: []string{"directoryListing." + field, "directory listing " + field}, rules: []readers.Rule{limit(groupDL, field)}}
	}
	e9 := func(col, field, help, example string, required bool, rules ...readers.Rule) featureField {
		return featureField{col: col, group: groupE911, field: field, help: "E911 " + help, example: example,
			aliases: []string{"e911." + field, "e911 " + field}, rules: append([]readers.Rule{limit(groupE911, field)}, rules...), requiredInGroup: required}
	}
	return []featureField{
		eu("end_user_name", "name", "name", "Hope Trope", limit(groupEndUser, "name")),
		eu("end_user_street_num", "streetNum", "street number (e.g. 100)", "100", limit(groupEndUser, "streetNum")),
		eu("end_user_street_pre_dir", "streetPreDir", "street direction prefix (e.g. N)", "W", limit(groupEndUser, "streetPreDir")),
		eu("end_user_street_name", "streetName", "street name", "Adams", limit(groupEndUser, "streetName")),
		eu("end_user_street_type", "streetType", "street type (e.g. St, Ave)", "St", limit(groupEndUser, "streetType")),
		eu("end_user_street_post_dir", "streetPostDir", "street direction ending (e.g. SW)", "", readers.MaxLen(2)),
		eu("end_user_location_type_1", "locationType1", "location type 1 (e.g. Bld, Apt)", ""),
		eu("end_user_location_value_1", "locationValue1", "location value 1 (e.g. 2B)", ""),
		eu("end_user_location_type_2", "locationType2", "location type 2 (e.g. Flr, Ste)", "Ste"),
		eu("end_user_location_value_2", "locationValue2", "location value 2 (e.g. 900)", "900"),
		eu("end_user_location_type_3", "locationType3", "location type 3", ""),
		eu("end_user_location_value_3", "locationValue3", "location value 3", ""),
		eu("end_user_city", "city", "city", "Chicago", limit(groupEndUser, "city")),
		eu("end_user_state", "state", "state (2 letters)", "IL", limit(groupEndUser, "state")),
		eu("end_user_postal_code", "postalCode", "zip code", "60606", limit(groupEndUser, "postalCode")),
		eu("end_user_type_of_service", "typeOfService", "type of service: B (Business) or R (Residence); B when empty and calling_name or dl_* is set", "B",
			readers.OneOf(typeOfServiceValues...), shortTypeOfService),

		{col: "calling_name", group: groupCallerID, field: "callingName", help: "caller ID name (CNAM/LIDB): at most 15 characters, at least one letter", example: "ACME CORP",
			aliases: []string{"callingName", "caller id", "caller id name", "cnam", "callerId.callingName"}, rules: []readers.Rule{readers.CallingName}},
		{col: "cnam_dip", group: groupCallerID, field: "cnamDip", help: "CNAM dip for inbound calls: Y or N (empty: the account default)", example: "Y",
			aliases: []string{"cnamDip", "callerId.cnamDip"}, rules: []readers.Rule{readers.YN}},

		dl("dl_last_name", "lastName", "last name (typeOfService R) or business name (B)", "Acme Corp"),
		dl("dl_first_name", "firstName", "first name (R) or more business detail (B)", ""),
		dl("dl_street_num", "streetNum", "street number", "100"),
		dl("dl_street_pre_dir", "streetPreDir", "street direction prefix", "W"),
		dl("dl_street_name", "streetName", "street name", "Adams"),
		dl("dl_street_type", "streetType", "street type", "St"),
		dl("dl_street_post_dir", "streetPostDir", "street direction ending", ""),
		dl("dl_location", "location", "location (e.g. Ste 900)", "Ste 900"),
		dl("dl_city", "city", "city", "Chicago"),
		dl("dl_state", "state", "state", "IL"),
		dl("dl_postal_code", "postalCode", "zip code", "60606"),

		e9("e911_name", "name", "first and last name (required with any e911 column)", "Hope Trope", true, printableASCII),
		e9("e911_street_num", "origStreetNum", "street number (required with any e911 column)", "100", true),
		e9("e911_street_info", "origStreetInfo", "street information, e.g. W Adams St (required with any e911 column)", "W Adams St", true),
		e9("e911_location", "origLocation", "location, e.g. Suite 900", "Suite 900", false, printableASCII),
		e9("e911_city", "origCity", "city (required with any e911 column)", "Chicago", true),
		e9("e911_state", "origState", "state (required with any e911 column)", "IL", true),
		e9("e911_postal_code", "origPostalCode", "zip code (required with any e911 column)", "60661", true),
		e9("e911_postal_code_plus_four", "origPostalCodePlusFour", "zip code plus four", "", false, readers.Digits(4)),

		{col: "messaging_class", group: groupMessaging, field: "messageClass", help: "messaging class: P2P, A2PLC or A2P8XX (required with messaging_type)", example: "P2P",
			aliases: []string{"messageClass", "message class", "messaging.messageClass"}, rules: []readers.Rule{readers.OneOf(messageClassValues...)}, requiredInGroup: true},
		{col: "messaging_type", group: groupMessaging, field: "messageType", help: "messaging type: SMS, MMS, SMSMMS, SMS_ALT, MMS_ALT or SMSMMS_ALT (required with messaging_class)", example: "SMS",
			aliases: []string{"messageType", "message type", "messaging.messageType"}, rules: []readers.Rule{readers.OneOf(messageTypeValues...)}, requiredInGroup: true},
		{col: "net_number_id", group: groupMessaging, field: "netNumberId", help: "NetNumber ID (NNID) configured on the account; empty: the default", example: "",
			aliases: []string{"netNumberId", "nnid", "messaging.netNumberId"}, rules: []readers.Rule{limit(groupMessaging, "netNumberId")}},
	}
}

// removeColumn is tn-feature's remove_<feature> column for one group.
type removeColumn struct {
	col     string
	group   string
	aliases []string
}

func removeColumns() []removeColumn {
	return []removeColumn{
		{col: "remove_caller_id", group: groupCallerID, aliases: []string{"remove_calling_name", "remove_cnam", "remove_lidb"}},
		{col: "remove_directory_listing", group: groupDL, aliases: []string{"remove_dl"}},
		{col: "remove_e911", group: groupE911, aliases: []string{"remove_911"}},
		{col: "remove_messaging", group: groupMessaging, aliases: []string{"remove_sms"}},
	}
}

// featureColumns returns the manifest columns of the endUser and tnFeature
// fields, followed by the remove_<feature> columns when withRemove.
func featureColumns(withRemove bool) []Column {
	var out []Column
	for _, f := range featureFields() {
		out = append(out, Column{Column: readers.Column{Name: f.col, Aliases: f.aliases, Help: f.help}, Example: f.example})
	}
	if withRemove {
		for _, rc := range removeColumns() {
			out = append(out, Column{Column: readers.Column{Name: rc.col, Aliases: rc.aliases,
				Help: "Y removes the number's " + rc.group + " (removeTnFeature); its other columns must be empty"}, Example: ""})
		}
	}
	return out
}

// shortTypeOfService sends B or R: the operation tables accept B, Business,
// R and Residence, the Character Limits table allows one character.
func shortTypeOfService(v string) (string, error) {
	switch v {
	case "Business":
		return "B", nil
	case "Residence":
		return "R", nil
	}
	return v, nil
}

// printableASCII is the guide's rule for e911 name and location: "All
// printable ASCII characters are allowed".
func printableASCII(v string) (string, error) {
	for _, r := range v {
		if r < 0x20 || r > 0x7e {
			return "", fmt.Errorf("has %q; only printable ASCII characters are allowed", r)
		}
	}
	return v, nil
}

// check applies rules to a column and records the first failure as a
// FieldError naming the column.
func check(r Row, col string, errs *[]error, rules ...readers.Rule) string {
	raw := strings.TrimSpace(r.Get(col))
	v := raw
	for _, rule := range rules {
		next, err := rule(v)
		if err != nil {
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: raw, Reason: err.Error()})
			return raw
		}
		v = next
	}
	return v
}

// parseFeatures validates the endUser and tnFeature columns of a row and
// puts the non-empty values into fields (keyed by column name; a removal as
// remove_<feature>=Y). withRemove allows the remove_<feature> columns.
func parseFeatures(r Row, fields map[string]string, withRemove bool, errs *[]error) {
	all := featureFields()
	set := map[string]bool{} // groups with a value
	for _, f := range all {
		if v := check(r, f.col, errs, f.rules...); v != "" {
			fields[f.col] = v
			set[f.group] = true
		}
	}
	removing := map[string]bool{}
	if withRemove {
		for _, rc := range removeColumns() {
			v := check(r, rc.col, errs, readers.YN)
			if v != "Y" {
				continue
			}
			fields[rc.col] = "Y"
			removing[rc.group] = true
			// A removal carries no values: which would win is not documented.
			for _, f := range all {
				if f.group == rc.group && fields[f.col] != "" {
					*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: f.col, Value: fields[f.col],
						Reason: "is set although " + rc.col + " is Y; a removal takes no values"})
				}
			}
		}
	}
	for _, f := range all {
		if f.requiredInGroup && set[f.group] && !removing[f.group] && fields[f.col] == "" {
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: f.col,
				Reason: "is required when any " + f.group + " column is set (the guide: required if tnFeature contains " + f.group + ")"})
		}
	}
	// "Type of service is automatically set to B if not sent and callingName
	// or directoryListing are present": sent explicitly, but only with an
	// endUser the manifest gives (an endUser of typeOfService alone would
	// replace the number's end-user address).
	if set[groupEndUser] && fields["end_user_type_of_service"] == "" && (fields["calling_name"] != "" || set[groupDL]) {
		fields["end_user_type_of_service"] = "B"
	}
}

// hasOrderFeatures reports whether the fields carry one of the features
// that, per the guide, make tnOrder answer with an orderId: "callingName,
// directoryListing, e911, or messaging".
func hasOrderFeatures(fields map[string]string) bool {
	for _, f := range featureFields() {
		if f.group != groupEndUser && f.field != "cnamDip" && fields[f.col] != "" {
			return true
		}
	}
	for _, rc := range removeColumns() {
		if fields[rc.col] == "Y" {
			return true
		}
	}
	return false
}

// hasAnyFeature reports whether the fields change any tnFeature (cnamDip
// included) or remove one.
func hasAnyFeature(fields map[string]string) bool {
	if hasOrderFeatures(fields) {
		return true
	}
	return fields["cnam_dip"] != ""
}
