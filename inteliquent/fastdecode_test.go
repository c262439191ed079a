package inteliquent

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameAsEncodingJSON decodes raw both ways and fails unless the one-pass
// decoder gives what encoding/json gives: the same value, and an error
// exactly when encoding/json has one. It reports whether the one-pass
// decoder took the answer (rather than handing it to encoding/json).
func sameAsEncodingJSON(t testing.TB, raw []byte) (fast bool) {
	t.Helper()
	var want, got TnDetailResponse
	wantErr := json.Unmarshal(raw, &want)
	fast = got.decodeFast(raw)
	if !fast {
		require.Equal(t, TnDetailResponse{}, got, "a failed one-pass decode must leave the answer zero: %q", raw)
	}
	gotErr := decodeAnswer(raw, &got)
	require.Equal(t, wantErr != nil, gotErr != nil, "error for %q: encoding/json %v, decodeAnswer %v", raw, wantErr, gotErr)
	if wantErr == nil {
		require.Equal(t, want, got, "%q", raw)
	}
	return fast
}

const fastItem = `{"tn": 2012151499, "trunkGroup": "ATLNGAQS08T_266", "endUser": {}, "tnFeature": {"callerId": {"cnamDip": "N"}}, "lata": "224", "rateCenter": "BAYONNE", "province": "NJ", "tnStatus": "In Service", "rateCenterTier": "Tier 0", "countryCode": "1", "tnSource": "NATIVE", "activateDate": "2017-03-29T14:00:46.000Z", "wireless": "Y"}`

// TestFastDecodeMatchesEncodingJSON: the one-pass tnDetail decoder gives
// what encoding/json gives for the guide's example, the sandbox's shape,
// every lenient form of the scalars, and hands everything it is not sure
// of (case-folded keys, duplicates, wrong types, invalid JSON) to
// encoding/json.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	guide, err := os.ReadFile("testdata/guide/tnDetail.json")
	require.NoError(t, err)
	full := `{"tn":"3125550100","trunkGroup":"T","endUser":{"name":"A","streetNum":123,"streetPreDir":"N","streetName":"S","streetType":"Ave","streetPostDir":"W",` +
		`"locationType1":"STE","locationValue1":5,"locationType2":"FL","locationValue2":"2","locationType3":"RM","locationValue3":null,"city":"C","state":"IL","postalCode":60601,"typeOfService":"R","status":"x"},` +
		`"tnFeature":{"callerId":{"callingName":"N","cnamDip":"Y","removeTnFeature":"N"},"directoryListing":{"lastName":"L","firstName":"F","streetNum":"1","streetPreDir":"","streetName":"s","streetType":"t","streetPostDir":"","location":"l","city":"c","state":"s","postalCode":"1","removeTnFeature":"N"},` +
		`"e911":{"name":"n","origStreetNum":100,"origStreetInfo":"i","origLocation":"l","origCity":"c","origState":"s","origPostalCode":"60661","origPostalCodePlusFour":1234,"removeTnFeature":"N"},` +
		`"messaging":{"messageClass":"P2P","messageType":"SMS","netNumberId":7,"removeTnFeature":"N"}},` +
		`"lata":358,"rateCenter":"R","locName":"L","province":"IL","tnStatus":"In Service","rateCenterTier":0,"countryCode":1,"tnSource":"NATIVE","activateDate":"d","activateUser":"u","wireless":"N","portOutPin":"1234","tnNote":"n"}`
	page := func(items ...string) string {
		return `{"statusCode":"200","status":"Success","tnList":{"tnItem":[` + strings.Join(items, ",") + `]},"page":"1","totalPages":9,"totalItems":"90000","searchId":"S"}`
	}
	fastCases := map[string]string{
		"guide":                   string(guide),
		"bench item":              page(fastItem, fastItem),
		"every field":             page(full),
		"empty list":              page(),
		"no list":                 `{"statusCode":"430","status":"No results"}`,
		"nulls":                   `{"statusCode":null,"status":null,"tnList":{"tnItem":[{"tn":null,"endUser":null,"tnFeature":{"callerId":null},"lata":null,"tnNote":null}]},"page":null,"searchId":null}`,
		"null list":               `{"tnList":{"tnItem":null}}`,
		"null tnList":             `{"tnList":null}`,
		"escapes and UTF-8":       page(`{"tn":" 3125550100 ","tnNote":"a\"b\\c\u00e9 \ud83d\ude00 é","trunkGroup":"\/x"}`),
		"invalid UTF-8":           page("{\"tnNote\":\"a\xffb\"}"),
		"unknown keys skipped":    page(`{"tn":1,"extra":{"a":[1,2.5e-3,{"b":null}],"c":true},"more":[],"x":-0.5}`),
		"white space":             " \n{ \"tnList\" : { \"tnItem\" : [ { \"tn\" : 3125550100 } ] } , \"page\" : \" 2 \" }\t\r\n",
		"big and odd numbers":     page(`{"tn":9223372036854775807123,"lata":1.50,"countryCode":-1e3}`),
		"statusCode number":       `{"statusCode":200,"status":"Success"}`,
		"boolean FlexString":      page(`{"lata":true,"countryCode":false}`),
		"FlexInt forms":           `{"page":"1e3","totalPages":"","totalItems":"null"}`,
		"unknown key looks close": page(`{"tnn":"1","t":"2"}`),
	}
	for name, raw := range fastCases {
		t.Run(name, func(t *testing.T) {
			assert.True(t, sameAsEncodingJSON(t, []byte(raw)), "the one-pass decoder should take it")
		})
	}
	slowCases := map[string]string{
		"key in another case":   page(`{"TN":"1"}`),
		"key folded twice":      page(`{"tn":"1","Tn":"2"}`),
		"duplicate key":         page(`{"tn":"1","tn":"2"}`),
		"duplicate object":      `{"tnList":{"tnItem":[]},"tnList":{"tnItem":[{"tn":1}]}}`,
		"escaped key":           page(`{"t\u006e":"1"}`),
		"number for a string":   page(`{"trunkGroup":12}`),
		"object for a TN":       page(`{"tn":{}}`),
		"array for a TN":        page(`{"tn":[1]}`),
		"string for an object":  page(`{"endUser":"x"}`),
		"null element":          page(`null`),
		"bad FlexInt":           `{"page":"abc"}`,
		"trailing comma":        page(`{"tn":1,}`),
		"trailing garbage":      page(fastItem) + "x",
		"two documents":         page(fastItem) + "{}",
		"leading zero":          page(`{"tn":0123}`),
		"bad escape":            page(`{"tnNote":"\x"}`),
		"bad escape skipped":    page(`{"zz":"\x"}`),
		"control character":     page("{\"tnNote\":\"a\tb\"}"),
		"cut":                   page(fastItem)[:200],
		"empty":                 ``,
		"null":                  `null`,
		"array":                 `[]`,
		"tnItem object":         `{"tnList":{"tnItem":{"tn":1}}}`,
		"bare word":             page(`{"tn":nul}`),
		"deep unknown":          `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
		"number without digits": page(`{"tn":-}`),
		"fraction without":      page(`{"tn":1.}`),
		"exponent without":      page(`{"tn":1e}`),
	}
	for name, raw := range slowCases {
		t.Run(name, func(t *testing.T) {
			assert.False(t, sameAsEncodingJSON(t, []byte(raw)), "the one-pass decoder should hand it to encoding/json")
		})
	}
}

// TestFastDecodeKeepsEarlierAttempt: an answer that is not zero (a retried
// attempt decodes into the same value) goes to encoding/json, which merges.
func TestFastDecodeKeepsEarlierAttempt(t *testing.T) {
	r := TnDetailResponse{Envelope: Envelope{StatusCode: "431"}}
	assert.False(t, r.decodeFast([]byte(`{"tnList":{"tnItem":[]}}`)))
	require.NoError(t, decodeAnswer([]byte(`{"tnList":{"tnItem":[]}}`), &r))
	assert.Equal(t, FlexString("431"), r.StatusCode)
}

// TestFastDecodeTablesCoverEveryField: every JSON member of the decoded
// types has an entry in its table, so a field added to a type and not to
// its table fails here instead of being silently skipped.
func TestFastDecodeTablesCoverEveryField(t *testing.T) {
	keys := func(m any) []string {
		var out []string
		for _, k := range reflect.ValueOf(m).MapKeys() {
			out = append(out, k.String())
		}
		return out
	}
	for _, c := range []struct {
		typ    any
		fields any
	}{
		{TnDetailResponse{}, tnDetailResponseFields.fields},
		{tnDetailList{}, tnDetailListFields.fields},
		{TnDetailItem{}, tnDetailItemFields.fields},
		{EndUser{}, endUserFields.fields},
		{TnFeature{}, tnFeatureFields.fields},
		{CallerID{}, callerIDFields.fields},
		{DirectoryListing{}, directoryListingFields.fields},
		{E911{}, e911Fields.fields},
		{Messaging{}, messagingFields.fields},
	} {
		typ := reflect.TypeOf(c.typ)
		assert.ElementsMatch(t, jsonNames(typ), keys(c.fields), "%s", typ)
	}
}

// jsonNames lists the JSON member names of a struct type, embedded
// structs' members included.
func jsonNames(typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, jsonNames(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

func FuzzFastDecodeTnDetail(f *testing.F) {
	guide, _ := os.ReadFile("testdata/guide/tnDetail.json")
	for _, s := range []string{string(guide), `{"tnList":{"tnItem":[` + fastItem + `]}}`, `{"page":1}`, `{"TN":1}`, `{"tnList":{"tnItem":[{"tn":"\u0031"}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameAsEncodingJSON(t, raw)
	})
}
