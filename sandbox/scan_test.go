package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowHead and slowFields are what the sandbox did before the one-pass
// readers: encoding/json alone.
func slowHead(body []byte) (*string, error) {
	var head struct {
		PrivateKey *string `json:"privateKey"`
	}
	err := json.Unmarshal(body, &head)
	return head.PrivateKey, err
}

func slowFields(b []byte) (fields, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := make(fields, len(raw))
	for k, v := range raw {
		var s flexString
		if err := s.UnmarshalJSON(v); err != nil {
			continue
		}
		out[k] = string(s)
	}
	return out, nil
}

// sameHead fails unless privateKeyOf, when it takes body, reads what
// encoding/json reads (and encoding/json has no error); it reports whether
// it took it.
func sameHead(t testing.TB, body []byte) bool {
	t.Helper()
	got, ok := privateKeyOf(body)
	if !ok {
		return false
	}
	want, err := slowHead(body)
	require.NoError(t, err, "privateKeyOf took %q, which encoding/json refuses", body)
	require.Equal(t, want, got, "%q", body)
	return true
}

func sameFields(t testing.TB, b []byte) bool {
	t.Helper()
	got, ok := scalarFields(b)
	if !ok {
		return false
	}
	want, err := slowFields(b)
	require.NoError(t, err, "scalarFields took %q, which encoding/json refuses", b)
	require.Equal(t, want, got, "%q", b)
	return true
}

func TestPrivateKeyOfMatchesEncodingJSON(t *testing.T) {
	k := `"` + DemoKey + `"`
	taken := []string{
		`{"privateKey":` + k + `,"tnNote":{"tnList":{"tnItem":[{"tn":"3125550100","tnNote":"a"}]}}}`,
		`{"tnSearchList":{"tnSearchItem":[{"tnMask":"3125550100"}]},"privateKey":` + k + `}`,
		` { "privateKey" : "k\u00e9\"" } `,
		`{"privateKey":null}`,
		`{}`,
		`{"privateKey":"a","privateKey":"b"}`,
		`{"x":[1,-2.5e+3,true,false,null,{"y":{}}],"privateKey":""}`,
		`{"privateKeys":"x"}`,
	}
	for _, body := range taken {
		assert.True(t, sameHead(t, []byte(body)), "%s", body)
	}
	given := []string{
		`{"PrivateKey":` + k + `}`,
		`{"privatekey":"a","privateKey":"b"}`,
		`{"private\u004bey":"a"}`,
		`{"privateKey":12}`,
		`{"privateKey":{}}`,
		`{"privateKey":"a"`,
		`{"privateKey":"a"}x`,
		`{"privateKey":"a",}`,
		`{"x":01}`,
		`{"x":"\q"}`,
		"{\"x\":\"a\tb\"}",
		`[]`, `null`, ``, `"x"`,
	}
	for _, body := range given {
		assert.False(t, sameHead(t, []byte(body)), "%s", body)
	}
}

func TestScalarFieldsMatchesEncodingJSON(t *testing.T) {
	taken := []string{
		`{}`,
		`{"tnMask":"3125550100"}`,
		`{"name":"A","streetNum":123,"n":null,"b":true,"f":-1.5e3,"nested":{"a":1},"list":[1,"2"],"esc":"a\"\u00e9","utf":"é"}`,
		`{"a":"1","a":"2"}`,
		`{"A":"1","a":"2"}`,
	}
	for _, b := range taken {
		assert.True(t, sameFields(t, []byte(b)), "%s", b)
	}
	for _, b := range []string{`{"k\u0065y":"v"}`, `{"a":1`, `{"a":tru}`, `[]`, "{\"é\":1}"} {
		assert.False(t, sameFields(t, []byte(b)), "%s", b)
	}
}

func TestTnValueAndFlexStringFastPaths(t *testing.T) {
	for in, want := range map[string]string{`"3125550100"`: "3125550100", `" 3125550100 "`: "3125550100", `3125550100`: "3125550100",
		`"\u0033125550100"`: "3125550100", `0`: "0", `1.5`: "1.5", `-3`: "-3", `null`: ""} {
		var v tnValue
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, string(v), in)
	}
	var v tnValue
	assert.Error(t, v.UnmarshalJSON([]byte(`0123`)))
	for in, want := range map[string]string{`"a b"`: "a b", `"a\"b"`: `a"b`, `12`: "12", `true`: "true"} {
		var f flexString
		require.NoError(t, json.Unmarshal([]byte(in), &f), in)
		assert.Equal(t, want, string(f), in)
	}
}

func FuzzOnePassReaders(f *testing.F) {
	for _, s := range []string{`{"privateKey":"k","a":[1,{"b":null}]}`, `{"PrivateKey":"k"}`, `{"a":"\u00e9","b":1e3}`, `{"a":{"b":[]}}`, `[1]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameHead(t, b)
		sameFields(t, b)
		var v tnValue
		var n json.Number
		if len(b) > 0 && b[0] != '"' && b[0] != 'n' && json.Unmarshal(b, &n) == nil {
			require.NoError(t, v.UnmarshalJSON(b), "%q", b)
			assert.Equal(t, n.String(), string(v))
		}
	})
}

// TestJournalLineAsMarshal: the journal line is written as json.Marshal
// writes the entry.
func TestJournalLineAsMarshal(t *testing.T) {
	when := time.Date(2026, 3, 2, 15, 4, 5, 123456789, time.FixedZone("x", 3600))
	for _, je := range []journalEntry{
		{T: when, Op: "tnNoteUpdate", Req: json.RawMessage(`{"tnNote":{"tnList":{"tnItem":[{"tn":"3125550100","tnNote":"\u003cb\u003e"}]}}}`)},
		{T: when.UTC(), Op: "tnOrder<&>", Req: json.RawMessage(`{}`), FeatureFail: 0.25},
		{Op: "x", FeatureFail: 1e-9},
	} {
		want, err := json.Marshal(je)
		require.NoError(t, err)
		got, err := je.appendJSON(nil)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
}

// sameNoteReq fails unless tnNoteReq's one-pass decoder, when it takes
// body, gives what encoding/json gives (and encoding/json has no error).
func sameNoteReq(t testing.TB, body []byte) bool {
	t.Helper()
	var got tnNoteReq
	if !got.decodeFast(body) {
		require.Equal(t, tnNoteReq{}, got, "a failed one-pass decode must leave the request zero")
		return false
	}
	var want tnNoteReq
	require.NoError(t, json.Unmarshal(body, &want), "decodeFast took %q, which encoding/json refuses", body)
	require.Equal(t, want, got, "%q", body)
	return true
}

func TestTnNoteReqDecodeFastMatchesEncodingJSON(t *testing.T) {
	taken := []string{
		`{"privateKey":"k","tnNote":{"tnList":{"tnItem":[{"tn":"3125550100","tnNote":"a"},{"tn":3125550101,"tnNote":"b\u00e9"}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tn":" 3125550100 ","trunkGroup":"T","portOutPin":1234,"tnNote":null,"endUser":{"name":"x","n":1},"tnFeature":{"callerId":{"callingName":"c"}},"other":[1]}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"endUser":null,"tnFeature":null,"trunkGroup":null}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[]}}}`,
		`{"tnNote":{"tnList":{"tnItem":null}}}`,
		`{"tnNote":{"tnList":null}}`,
		`{"tnNote":null}`,
		`{}`,
	}
	for _, b := range taken {
		assert.True(t, sameNoteReq(t, []byte(b)), "%s", b)
	}
	for _, b := range []string{
		`{"TnNote":{"tnList":{"tnItem":[]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"TN":"1"}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tn":"1","tn":"2"}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[]}},"tnNote":{}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tn":{}}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tnNote":5}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"endUser":"x"}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tnFeature":[]}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[null]}}}`,
		`{"tnNote":{"tnList":{"tnItem":{}}}}`,
		`{"tnNote":[]}`,
		`{"tnNote":{}} x`,
		`[]`,
	} {
		assert.False(t, sameNoteReq(t, []byte(b)), "%s", b)
	}
}

func FuzzTnNoteReqDecodeFast(f *testing.F) {
	for _, s := range []string{`{"tnNote":{"tnList":{"tnItem":[{"tn":"3125550100","tnNote":"a","endUser":{"a":1},"tnFeature":{"e911":{"x":"y"}}}]}}}`,
		`{"tnNote":{"tnList":{"tnItem":[{"tn":3125550100,"portOutPin":"1"}]}}}`, `{"tnNote":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameNoteReq(t, b) })
}

func sameDetailReq(t testing.TB, body []byte) bool {
	t.Helper()
	var got tnDetailReq
	if !got.decodeFast(body) {
		require.Equal(t, tnDetailReq{}, got, "a failed one-pass decode must leave the request zero")
		return false
	}
	var want tnDetailReq
	require.NoError(t, json.Unmarshal(body, &want), "decodeFast took %q, which encoding/json refuses", body)
	// Items that are all a tnMask alone come as masks: the same items.
	if got.masks != nil {
		require.Empty(t, got.TnSearchList.TnSearchItem, "masks or items, never both")
		for _, m := range got.masks {
			got.TnSearchList.TnSearchItem = append(got.TnSearchList.TnSearchItem, fields{"tnMask": m})
		}
		got.masks = nil
	}
	require.Equal(t, want, got, "%q", body)
	return true
}

func TestTnDetailReqDecodeFastMatchesEncodingJSON(t *testing.T) {
	taken := []string{
		`{"privateKey":"k","tnSearchList":{"tnSearchItem":[{"tnMask":"3125550100"},{"tnMask":"312xxxxxxx","tnNote":"a","wireless":true}]}}`,
		`{"tnSearchList":{"tnSearchItem":[{"tnMask":"3125550100","x":{"y":1}}]},"pageSort":{"size":"10","page":2,"property":"lata","direction":"desc"}}`,
		`{"tnSearchList":{"tnSearchItem":[null,{}]},"pageSort":null}`,
		`{"tnSearchList":{"tnSearchItem":[]}}`,
		`{"tnSearchList":{"tnSearchItem":null}}`,
		`{"tnSearchList":null}`,
		`{"pageSort":{"searchId":"S"}}`,
		`{}`,
	}
	for _, b := range taken {
		assert.True(t, sameDetailReq(t, []byte(b)), "%s", b)
	}
	for _, b := range []string{
		`{"TnSearchList":{"tnSearchItem":[]}}`,
		`{"tnSearchList":{"TNSEARCHITEM":[]}}`,
		`{"tnSearchList":{"tnSearchItem":[]},"tnSearchList":{}}`,
		`{"pageSort":{},"pageSort":{}}`,
		`{"tnSearchList":{"tnSearchItem":["x"]}}`,
		`{"tnSearchList":{"tnSearchItem":{}}}`,
		`{"pageSort":[]}`,
		`{"pageSort":{"size":"abc"}}`,
		`{"tnSearchList":[]}`,
		`{} {}`,
	} {
		assert.False(t, sameDetailReq(t, []byte(b)), "%s", b)
	}
}

func FuzzTnDetailReqDecodeFast(f *testing.F) {
	for _, s := range []string{`{"tnSearchList":{"tnSearchItem":[{"tnMask":"3125550100"}]},"pageSort":{"size":5}}`, `{"tnSearchList":{"tnSearchItem":[null]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameDetailReq(t, b) })
}

// sameFast fails unless decodeFast, when it takes body, gives what
// encoding/json gives into a T (and encoding/json has no error), and
// leaves the T zero when it does not.
func sameFast[T any](t testing.TB, body []byte, decodeFast func(*T, []byte) bool) bool {
	t.Helper()
	var got, zero T
	if !decodeFast(&got, body) {
		require.Equal(t, zero, got, "a failed one-pass decode must leave the value zero")
		return false
	}
	var want T
	require.NoError(t, json.Unmarshal(body, &want), "decodeFast took %q, which encoding/json refuses", body)
	require.Equal(t, want, got, "%q", body)
	return true
}

func TestTnOrderReqAndJournalDecodeFast(t *testing.T) {
	order := (*tnOrderReq).decodeFast
	journal := (*journalEntry).decodeFast
	for _, b := range []string{
		`{"tnOrder":{"customerOrderReference":"r-1","tnList":{"tnItem":[{"tn":"3125550100","trunkGroup":"T"}]}}}`,
		`{"privateKey":"k","tnOrder":{"customerOrderReference":null,"tnList":null,"x":1}}`,
		`{"tnOrder":null}`,
	} {
		assert.True(t, sameFast(t, []byte(b), order), "%s", b)
	}
	for _, b := range []string{`{"TnOrder":{}}`, `{"tnOrder":{"CustomerOrderReference":"x"}}`, `{"tnOrder":{"customerOrderReference":1}}`,
		`{"tnOrder":{"tnList":{},"tnList":{}}}`} {
		assert.False(t, sameFast(t, []byte(b), order), "%s", b)
	}
	for _, b := range []string{
		`{"t":"2026-12-02T11:35:08.704638825Z","op":"tnOrder","req":{"tnOrder":{"tnList":{"tnItem":[{"tn":"2012260002"}]}}}}`,
		`{"t":"2026-12-02T11:35:08+01:00","op":"tnNoteUpdate","req":{},"featureFail":0.25}`,
		`{"op":"x","req":null,"other":[1]}`,
	} {
		assert.True(t, sameFast(t, []byte(b), journal), "%s", b)
	}
	for _, b := range []string{`{"T":"2026-12-02T11:35:08Z"}`, `{"t":"yesterday"}`, `{"featureFail":"1"}`, `{"op":"a","op":"b"}`, `{"req":}`} {
		assert.False(t, sameFast(t, []byte(b), journal), "%s", b)
	}
}

func FuzzOnePassRequests(f *testing.F) {
	for _, s := range []string{`{"tnOrder":{"customerOrderReference":"r","tnList":{"tnItem":[{"tn":"3125550100"}]}}}`,
		`{"t":"2026-12-02T11:35:08.704638825Z","op":"tnOrder","req":{"a":1},"featureFail":1e-3}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameFast(t, b, (*tnOrderReq).decodeFast)
		sameFast(t, b, (*journalEntry).decodeFast)
		sameFast(t, b, (*tnNoteReq).decodeFast)
		sameFast(t, b, (*tnDetailReq).decodeFast)
	})
}
