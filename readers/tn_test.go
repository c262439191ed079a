package readers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeTN(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "3125550100", want: "3125550100"},
		{in: "+1 (312) 555-0100", want: "3125550100"},
		{in: "1-312-555-0100", want: "3125550100"},
		{in: "312.555.0100", want: "3125550100"},
		{in: "3125550100.0", want: "3125550100"},
		{in: "3125550100.000", want: "3125550100"},
		{in: "13125550100.0", want: "3125550100"},
		{in: " 3125550100 ", want: "3125550100"},
		{in: "\u00a03125550100\t", want: "3125550100"},
		{in: "'3125550100", want: "3125550100"},
		{in: "(312)555-0100", want: "3125550100"},
		{in: "312/555/0100", want: "3125550100"},
		{in: "+13125550100", want: "3125550100"},
		{in: "8334472663", want: "8334472663"},

		{in: "3.12E+09", err: "3.12E+09 is in scientific notation: the spreadsheet lost digits; format the column as text"},
		{in: "3.1255501E9", err: "3.1255501E9 is in scientific notation: the spreadsheet lost digits; format the column as text"},
		{in: "3,12E+09", err: `3,12E+09 contains ",", which is not part of a phone number`},
		{in: "312555010", err: "312555010 has 9 digits, want 10"},
		{in: "312555010.0", err: "312555010.0 has 9 digits, want 10"},
		{in: "31255501000", err: "31255501000 has 11 digits, want 10 (or 11 starting with 1)"},
		{in: "312-555-01000", err: "312-555-01000 has 11 digits, want 10 (or 11 starting with 1)"},
		{in: "131255501000", err: "131255501000 has 12 digits, want 10"},
		{in: "3125550100.5", err: "3125550100.5 is a decimal number (fraction .5), not a phone number"},
		{in: "312555010O", err: `312555010O contains letters ("O"); write the number in digits`},
		{in: "1-800-FLOWERS", err: `1-800-FLOWERS contains letters ("F"); write the number in digits`},
		{in: "0125550100", err: "0125550100 has area code 012: an area code cannot start with 0 or 1"},
		{in: "1125550100", err: "1125550100 has area code 112: an area code cannot start with 0 or 1"},
		{in: "3120550100", err: "3120550100 has exchange 055: an exchange (NXX) cannot start with 0 or 1"},
		{in: "3121550100", err: "3121550100 has exchange 155: an exchange (NXX) cannot start with 0 or 1"},
		{in: "+44 20 7946 0958", err: `"+44 20 7946 0958" is not a North American (+1) number`},
		{in: "", err: `"" is empty`},
		{in: "   ", err: `"   " is empty`},
		{in: "--", err: "-- has no digits"},
		{in: "312#5550100", err: `312#5550100 contains "#", which is not part of a phone number`},
		{in: "3125550100+", err: `3125550100+ contains "+", which is not part of a phone number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeTN(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error())
				var te *TNError
				assert.ErrorAs(t, err, &te)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizeTollFree(t *testing.T) {
	for _, p := range []string{"800", "833", "844", "855", "866", "877", "888"} {
		got, err := NormalizeTollFree("1-" + p + "-555-0100")
		require.NoError(t, err, p)
		assert.Equal(t, p+"5550100", got)
	}
	tests := []struct{ in, err string }{
		{"8225550100", "8225550100 is not toll-free: the prefix 822 is not one of 800, 833, 844, 855, 866, 877, 888"},
		{"3125550100", "3125550100 is not toll-free: the prefix 312 is not one of 800, 833, 844, 855, 866, 877, 888"},
		{"8.00E+09", "8.00E+09 is in scientific notation: the spreadsheet lost digits; format the column as text"},
		{"800555010", "800555010 has 9 digits, want 10"},
	}
	for _, tt := range tests {
		_, err := NormalizeTollFree(tt.in)
		assert.EqualError(t, err, tt.err, tt.in)
	}
}
