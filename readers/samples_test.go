package readers

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var writeSamples = flag.Bool("samples", false, "rewrite ../samples/messy.xlsx")

// messySample is the content of samples/messy.xlsx: a tn-note manifest with
// a passthrough Site column and the usual spreadsheet damage.
func messySample() []xlsxSheet {
	return []xlsxSheet{{name: "Numbers", cells: []xlsxCell{
		{ref: "A1", value: "TN"}, {ref: "B1", value: "Note"}, {ref: "C1", value: "Site"},
		{ref: "A2", value: "+1 (312) 555-0100"}, {ref: "B2", value: "formatted text"}, {ref: "C2", value: "Chicago HQ"},
		{ref: "A3", value: 3125550101}, {ref: "B3", value: "stored as a number"}, {ref: "C3", value: "Chicago HQ"},
		{ref: "A4", value: 3125550102, custom: "0.00E+00"}, {ref: "B4", value: "a number shown as 3.13E+09: still read in full"}, {ref: "C4", value: "Evanston"},
		{ref: "A5", value: 3125550103.0}, {ref: "B5", value: "stored as a float"}, {ref: "C5", value: "Evanston"},
		{ref: "A6", value: "3.13E+09"}, {ref: "B6", value: "typed as text in scientific notation: digits lost"}, {ref: "C6", value: "Oak Park"},
		// row 7 is blank
		{ref: "A8", value: 312555010}, {ref: "B8", value: "nine digits"}, {ref: "C8", value: "Oak Park"},
		{ref: "A9", value: "1-312-555-0105"}, {ref: "B9", value: "dashes with a leading 1"}, {ref: "C9", value: "Skokie"},
	}}}
}

func TestWriteSamples(t *testing.T) {
	if !*writeSamples {
		t.Skip("run with -samples to rewrite ../samples/messy.xlsx")
	}
	writeXLSX(t, filepath.Join("..", "samples", "messy.xlsx"), messySample())
}

// TestSamples reads the checked-in samples and checks what a tn-note job
// would make of each row.
func TestSamples(t *testing.T) {
	cols := []Column{
		{Name: "tn", Aliases: []string{"TN", "Telephone Number", "number", "phone"}, Required: true},
		{Name: "note", Required: true},
	}
	type outcome struct {
		line int
		tn   string // normalised, or the error
		site string
	}
	tests := []struct {
		file string
		want []outcome
	}{
		{"messy.csv", []outcome{
			{2, "3125550100", "Chicago HQ"},
			{3, "3125550101", "Chicago HQ"},
			{4, "3125550102", "Evanston"},
			{5, "3125550103", "Evanston"},
			{6, "3.13E+09 is in scientific notation: the spreadsheet lost digits; format the column as text", "Oak Park"},
			{8, "312555010 has 9 digits, want 10", "Oak Park"},
			{10, "3125550105", "Skokie"},
		}},
		{"messy.xlsx", []outcome{
			{2, "3125550100", "Chicago HQ"},
			{3, "3125550101", "Chicago HQ"},
			{4, "3125550102", "Evanston"},
			{5, "3125550103", "Evanston"},
			{6, "3.13E+09 is in scientific notation: the spreadsheet lost digits; format the column as text", "Oak Park"},
			{8, "312555010 has 9 digits, want 10", "Oak Park"},
			{9, "3125550105", "Skokie"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := Open(filepath.Join("..", "samples", tt.file), Options{})
			require.NoError(t, err)
			defer func() { assert.NoError(t, r.Close()) }()
			m, err := MapHeader(r.Header(), cols)
			require.NoError(t, err)
			require.Equal(t, []int{2}, m.Unknown(), "Site passes through")
			var got []outcome
			for _, row := range readAll(t, r) {
				tn, err := NormalizeTN(m.Get(row, "tn"))
				if err != nil {
					tn = err.Error()
				}
				got = append(got, outcome{row.Line, tn, row.Values[2]})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
