package readers

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRules(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		in   string
		want string
		err  string
	}{
		{"required ok", Required, " x ", "x", ""},
		{"required empty", Required, "  ", "", "is empty; the column is required"},
		{"tn", TN, "+1 (312) 555-0100", "3125550100", ""},
		{"tn optional empty", TN, "", "", ""},
		{"tn short", TN, "312555010", "", "has 9 digits, want 10"},
		{"toll-free", TollFree, "18005550100", "8005550100", ""},
		{"toll-free wrong prefix", TollFree, "3125550100", "", "is not toll-free: the prefix 312 is not one of 800, 833, 844, 855, 866, 877, 888"},
		{"oneof canonical", OneOf("SMS", "MMS", "SMSMMS"), "smsmms", "SMSMMS", ""},
		{"oneof empty", OneOf("B", "R"), "", "", ""},
		{"oneof bad", OneOf("B", "R"), "X", "", "is not one of B, R"},
		{"maxlen ok", MaxLen(3), "abc", "abc", ""},
		{"maxlen runes", MaxLen(3), "été", "été", ""},
		{"maxlen long", MaxLen(3), "abcd", "", "is 4 characters, the limit is 3"},
		{"maxlenfor", MaxLenFor("endUser.city"), "Rancho Santa Margarita Springs Ville", "", "is 36 characters, the limit is 32"},
		{"maxlenfor dl city", MaxLenFor("directoryListing.city"), "Rancho Santa Margarita Springs V", "Rancho Santa Margarita Springs V", ""},
		{"date", Date, "2024-01-15", "2024-01-15", ""},
		{"date xlsx midnight", Date, "2024-01-15 00:00:00", "2024-01-15", ""},
		{"date iso midnight", Date, "2024-01-15T00:00:00Z", "2024-01-15", ""},
		{"date with time", Date, "2024-01-15 12:00:00", "", "is a date with a time of day; give the date alone as YYYY-MM-DD"},
		{"date us", Date, "1/15/2024", "", "is not a date in the form YYYY-MM-DD (e.g. 2015-12-15)"},
		{"date impossible", Date, "2023-02-29", "", "is not a date in the form YYYY-MM-DD (e.g. 2015-12-15)"},
		{"date serial", Date, "45306", "", "is not a date in the form YYYY-MM-DD (e.g. 2015-12-15)"},
		{"yn yes", YN, "Yes", "Y", ""},
		{"yn true", YN, "TRUE", "Y", ""},
		{"yn 1", YN, "1", "Y", ""},
		{"yn no", YN, "no", "N", ""},
		{"yn false", YN, "False", "N", ""},
		{"yn 0", YN, "0", "N", ""},
		{"yn bad", YN, "maybe", "", "is not Y or N"},
		{"calling name", CallingName, "ACME CORP", "ACME CORP", ""},
		{"calling name 15", CallingName, "ABCDEFGHIJKLMNO", "ABCDEFGHIJKLMNO", ""},
		{"calling name long", CallingName, "ACME CORPORATION LLC", "", "is 20 characters, the limit is 15"},
		{"calling name no letter", CallingName, "555-0100", "", "has no letter; a calling name needs at least one"},
		{"digits", Digits(15), "1234", "1234", ""},
		{"digits letters", Digits(15), "12a4", "", "must be digits only"},
		{"digits long", Digits(4), "12345", "", "is 5 digits, the limit is 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rule(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCollectorGathersEveryError(t *testing.T) {
	m, err := MapHeader([]string{"Telephone Number", "Note", "Calling Name", "Due"}, []Column{
		{Name: "tn", Aliases: []string{"Telephone Number"}, Required: true},
		{Name: "note"},
		{Name: "calling_name"},
		{Name: "due"},
		{Name: "cnam_dip"},
	})
	require.NoError(t, err)

	row := Row{Line: 12, Values: []string{"312555010", "", "ACME CORPORATION LLC", "2024-01-15 00:00:00"}}
	c := NewCollector(m, row)
	tn := c.Check("tn", Required, TN)
	note := c.Check("note", Required, MaxLen(10))
	name := c.Check("calling_name", CallingName)
	due := c.Check("due", Date)
	dip := c.Check("cnam_dip", YN)
	c.Add("tn", "312555010", "is listed twice")

	assert.Equal(t, "312555010", tn, "a failing column returns the trimmed cell")
	assert.Equal(t, "", note)
	assert.Equal(t, "ACME CORPORATION LLC", name)
	assert.Equal(t, "2024-01-15", due)
	assert.Equal(t, "", dip)

	err = c.Err()
	require.Error(t, err)
	assert.Len(t, c.Errors(), 4)
	assert.Equal(t, `row 12, column "Telephone Number": "312555010" has 9 digits, want 10`, c.Errors()[0].Error())
	assert.Equal(t, `row 12, column "Note": "" is empty; the column is required`, c.Errors()[1].Error())
	assert.Equal(t, `row 12, column "Calling Name": "ACME CORPORATION LLC" is 20 characters, the limit is 15`, c.Errors()[2].Error())
	assert.Equal(t, `row 12, column "Telephone Number": "312555010" is listed twice`, c.Errors()[3].Error())
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, 12, fe.Line)
	assert.Contains(t, err.Error(), "; ")

	ok := NewCollector(m, Row{Line: 13, Values: []string{"3125550100", "n", "ACME", ""}})
	assert.Equal(t, "3125550100", ok.Check("tn", Required, TN))
	assert.NoError(t, ok.Err())
}

func TestLimits(t *testing.T) {
	l := Limits()
	want := map[string]int{
		"callingName": 15, "accountPin": 15, "authName": 50, "authDate": 10,
		"endUser.name": 32, "endUser.city": 32, "directoryListing.city": 35,
		"directoryListing.location": 30, "e911.origLocation": 60, "e911.origStreetInfo": 48,
		"e911.origPostalCodePlusFour": 4, "endUser.typeOfService": 1, "customerOrderReference": 50,
	}
	for k, v := range want {
		assert.Equal(t, v, l[k], k)
	}
	l["callingName"] = 99
	assert.Equal(t, 15, Limits()["callingName"], "Limits returns a copy")
	assert.Panics(t, func() { MaxLenFor("no.such.field") })
}
