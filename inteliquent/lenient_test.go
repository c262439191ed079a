package inteliquent

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTN(t *testing.T) {
	tests := []struct {
		in   string
		want TN
		err  bool
	}{
		{`6123453622`, "6123453622", false},
		{`"6123453622"`, "6123453622", false},
		{`" 6123453622 "`, "6123453622", false},
		{`442045242409`, "442045242409", false},
		{`null`, "", false},
		{`{}`, "", true},
		{`[1]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got TN
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	b, err := json.Marshal(struct {
		TN TN `json:"tn"`
	}{"6123453622"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"tn":"6123453622"}`, string(b))
}

func TestFlexString(t *testing.T) {
	tests := []struct {
		in   string
		want FlexString
	}{
		{`"200"`, "200"}, {`200`, "200"}, {`true`, "true"}, {`null`, ""}, {`1.50`, "1.50"},
		{`9223372036854775807123`, "9223372036854775807123"}, {`"a\"b"`, `a"b`},
	}
	for _, tt := range tests {
		var got FlexString
		require.NoError(t, json.Unmarshal([]byte(tt.in), &got), tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	var f FlexString
	assert.Error(t, json.Unmarshal([]byte(`{"a":1}`), &f))
}

func TestFlexInt(t *testing.T) {
	tests := []struct {
		in   string
		want FlexInt
		err  bool
	}{
		{`12`, FlexInt{12, true}, false},
		{`"12"`, FlexInt{12, true}, false},
		{`" 117 "`, FlexInt{117, true}, false},
		{`""`, FlexInt{}, false},
		{`"null"`, FlexInt{}, false},
		{`null`, FlexInt{}, false},
		{`12.0`, FlexInt{12, true}, false},
		{`"1e3"`, FlexInt{1000, true}, false},
		{`-5`, FlexInt{-5, true}, false},
		{`12.5`, FlexInt{}, true},
		{`"abc"`, FlexInt{}, true},
		{`true`, FlexInt{}, true},
		{`1e30`, FlexInt{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got FlexInt
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	b, _ := json.Marshal([]FlexInt{{3, true}, {}})
	assert.Equal(t, `[3,null]`, string(b))
}

func TestOrderID(t *testing.T) {
	tests := []struct {
		in   string
		want OrderID
	}{
		{`"null"`, ""}, {`"NULL"`, ""}, {`null`, ""}, {`""`, ""}, {`1026471`, "1026471"}, {`"1026471"`, "1026471"},
	}
	for _, tt := range tests {
		var got OrderID
		require.NoError(t, json.Unmarshal([]byte(tt.in), &got), tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for in, want := range map[OrderID]string{"1054832": `1054832`, "ORD-1": `"ORD-1"`, "0012": `"0012"`} {
		b, err := json.Marshal(in)
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
}

func FuzzFlexInt(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `""`, `"null"`, `null`, `1e3`, `12.5`, `{}`, `"9223372036854775807"`, `-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v FlexInt
		if err := v.UnmarshalJSON(b); err != nil {
			return
		}
		out, err := v.MarshalJSON()
		require.NoError(t, err)
		var back FlexInt
		require.NoError(t, back.UnmarshalJSON(out))
		assert.Equal(t, v, back, "round trip of %q", b)
	})
}

func FuzzTN(f *testing.F) {
	for _, s := range []string{`6123453622`, `"6123453622"`, `null`, `"x"`, `1.5e3`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v TN
		if err := v.UnmarshalJSON(b); err != nil {
			return
		}
		out, err := v.MarshalJSON()
		require.NoError(t, err)
		var back TN
		require.NoError(t, back.UnmarshalJSON(out))
		assert.Equal(t, strings.TrimSpace(string(v)), string(back))
	})
}

func FuzzFlexString(f *testing.F) {
	for _, s := range []string{`"a"`, `1`, `true`, `null`, `{}`, `"\u00e9"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v FlexString
		var o OrderID
		_ = v.UnmarshalJSON(b)
		if o.UnmarshalJSON(b) == nil {
			out, err := o.MarshalJSON()
			require.NoError(t, err)
			require.True(t, json.Valid(out), "%q -> %q", b, out)
		}
	})
}
