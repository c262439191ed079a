package readers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noteColumns() []Column {
	return []Column{
		{Name: "tn", Aliases: []string{"TN", "Telephone Number", "number", "phone"}, Required: true, Help: "10-digit number"},
		{Name: "note", Aliases: []string{"comment", "notes"}, Required: true},
		{Name: "calling_name", Aliases: []string{"CNAM"}},
	}
}

func TestMapHeader(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		index   map[string]int // declared column -> header index
		unknown []int
		err     string
	}{
		{
			name:    "canonical",
			header:  []string{"tn", "note"},
			index:   map[string]int{"tn": 0, "note": 1},
			unknown: nil,
		},
		{
			name:    "aliases any case, spaces, underscores, dashes",
			header:  []string{"Site", "TELEPHONE_NUMBER", "Comment", "Calling-Name", "Extra"},
			index:   map[string]int{"tn": 1, "note": 2, "calling_name": 3},
			unknown: []int{0, 4},
		},
		{
			name:   "telephone-number spelled with dashes",
			header: []string{"telephone-number", "NOTES", ""},
			index:  map[string]int{"tn": 0, "note": 1}, unknown: []int{2},
		},
		{
			name:   "column matched twice",
			header: []string{"TN", "Note", "Phone"},
			err:    `header columns 1 "TN" and 3 "Phone" both match column "tn"; keep one of them`,
		},
		{
			name:   "all missing required columns at once",
			header: []string{"Number1", "Remark"},
			err:    `missing required columns "tn" (or "TN" / "Telephone Number" / "number" / "phone"), "note" (or "comment" / "notes"); the header has "Number1", "Remark"`,
		},
		{
			name:   "one missing",
			header: []string{"phone"},
			err:    `missing required column "note" (or "comment" / "notes"); the header has "phone"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := MapHeader(tt.header, noteColumns())
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				assert.Nil(t, m)
				return
			}
			require.NoError(t, err)
			for _, c := range noteColumns() {
				i, ok := m.Index(c.Name)
				want, wantOK := tt.index[c.Name]
				assert.Equal(t, wantOK, ok, c.Name)
				assert.Equal(t, wantOK, m.Has(c.Name), c.Name)
				if wantOK {
					assert.Equal(t, want, i, c.Name)
					assert.Equal(t, tt.header[want], m.HeaderName(c.Name))
				}
			}
			assert.Equal(t, tt.unknown, m.Unknown())
			assert.Equal(t, tt.header, m.Header())
		})
	}
}

func TestMissingColumnsErrorType(t *testing.T) {
	_, err := MapHeader([]string{"x"}, noteColumns())
	var mce *MissingColumnsError
	require.ErrorAs(t, err, &mce)
	assert.Equal(t, []string{"tn", "note"}, mce.Missing)

	_, err = MapHeader([]string{"tn", "note", "NUMBER"}, noteColumns())
	var dce *DuplicateColumnError
	require.ErrorAs(t, err, &dce)
	assert.Equal(t, "tn", dce.Column)
}

func TestMappingGet(t *testing.T) {
	m, err := MapHeader([]string{"Phone", "Note", "Site"}, noteColumns())
	require.NoError(t, err)
	row := Row{Line: 2, Values: []string{" 3125550100 ", "hi", "CHI"}}
	assert.Equal(t, "3125550100", m.Get(row, "tn"), "trimmed")
	assert.Equal(t, "hi", m.Get(row, "note"))
	assert.Equal(t, "", m.Get(row, "calling_name"), "declared but absent")
	assert.Equal(t, "", m.Get(row, "undeclared"))
	assert.Equal(t, "", m.Get(Row{Values: []string{"x"}}, "note"), "short row")
	assert.Equal(t, "calling_name", m.HeaderName("calling_name"))
	assert.Len(t, m.Columns(), 3)
}
