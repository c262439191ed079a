package inteliquent

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTNStatus(t *testing.T) {
	tests := []struct {
		in      string
		parsed  bool
		ok      bool
		entries []TNStatusEntry
	}{
		{"Success", true, true, nil},
		{" success ", true, true, nil},
		{"{2=[6123453624 TN is on an existing order]}", true, false,
			[]TNStatusEntry{{Key: "2", TN: "6123453624", Reason: "TN is on an existing order"}}},
		{"{2=[6123453624 reason A, 6123453625 reason B]}", true, false, []TNStatusEntry{
			{Key: "2", TN: "6123453624", Reason: "reason A"}, {Key: "2", TN: "6123453625", Reason: "reason B"}}},
		{"{2=[6123453624 not available, try later, 6123453625 reason B]}", true, false, []TNStatusEntry{
			{Key: "2", TN: "6123453624", Reason: "not available, try later"}, {Key: "2", TN: "6123453625", Reason: "reason B"}}},
		{"{1=[6123453624 a], 2=[6123453625 b [x]]}", true, false, []TNStatusEntry{
			{Key: "1", TN: "6123453624", Reason: "a"}, {Key: "2", TN: "6123453625", Reason: "b [x]"}}},
		{"{2=[8774514545 TN is marked Not Available in our inventory]}", true, false,
			[]TNStatusEntry{{Key: "2", TN: "8774514545", Reason: "TN is marked Not Available in our inventory"}}},
		{"{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}", true, false,
			[]TNStatusEntry{{Key: "1", Reason: "TN group not available for portGroup ID 93453 - Ameritech/1"}}},
		{"{2=[6123453624]}", true, false, []TNStatusEntry{{Key: "2", TN: "6123453624"}}},
		{"{2=[]}", true, false, nil},
		{"{2=[6123453624 x]", false, false, nil},
		{"{2=6123453624}", false, false, nil},
		// Only "], key=[" ends a group early, so odd separators stay in the reason.
		{"{2=[6123453624 x]; 3=[1]}", true, false, []TNStatusEntry{{Key: "2", TN: "6123453624", Reason: "x]; 3=[1"}}},
		{"Invalid TN submitted:[20873619391]", false, false, nil},
		{"", false, false, nil},
		{"{}", true, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ParseTNStatus(tt.in)
			assert.Equal(t, tt.in, got.Raw, "Raw is verbatim")
			assert.Equal(t, tt.parsed, got.Parsed)
			assert.Equal(t, tt.ok, got.OK)
			assert.Equal(t, tt.entries, got.Entries)
		})
	}
}

func FuzzParseTNStatus(f *testing.F) {
	for _, s := range []string{
		"Success", "{2=[6123453624 TN is on an existing order]}", "{2=[6123453624 reason A, 6123453625 reason B]}",
		"{1=[a], 2=[6123453625 b]}", "{2=[6123453624 x, y, 61234536250 z]}", "{", "{2=[", "{=[]}", "{2=[]], 3=[]}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st := ParseTNStatus(s)
		require.Equal(t, s, st.Raw)
		if !st.Parsed {
			require.Empty(t, st.Entries)
		}
		for _, e := range st.Entries {
			require.True(t, strings.Contains(s, string(e.TN)), "TN %q not in input", e.TN)
			require.True(t, strings.Contains(s, e.Reason), "reason %q not in input", e.Reason)
			require.True(t, strings.Contains(s, e.Key+"=["), "key %q not in input", e.Key)
			if e.TN != "" {
				require.GreaterOrEqual(t, len(e.TN), 10)
				require.True(t, isDigits(string(e.TN)))
			}
		}
	})
}

func BenchmarkParseTNStatus(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{2=[")
	for i := range 100 {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("61234536")
		sb.WriteByte(byte('0' + i/10))
		sb.WriteByte(byte('0' + i%10))
		sb.WriteString(" TN is on an existing order")
	}
	sb.WriteString("]}")
	s := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		if st := ParseTNStatus(s); len(st.Entries) != 100 {
			b.Fatal(len(st.Entries))
		}
	}
}
