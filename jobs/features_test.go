package jobs

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// row makes a manifest row from column values.
func row(line int, cells map[string]string) Row {
	return Row{Line: line, Get: func(c string) string { return strings.TrimSpace(cells[c]) }}
}

// errColumns lists the columns named by a row's FieldErrors.
func errColumns(t *testing.T, errs []error) []string {
	t.Helper()
	var out []string
	for _, e := range errs {
		var fe *readers.FieldError
		require.True(t, errors.As(e, &fe), "every problem is a FieldError: %v", e)
		out = append(out, fe.Column)
	}
	sort.Strings(out)
	return out
}

func fullE911() map[string]string {
	return map[string]string{"e911_name": "Hope Trope", "e911_street_num": "100", "e911_street_info": "W Adams St",
		"e911_city": "Chicago", "e911_state": "IL", "e911_postal_code": "60606"}
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{"tn": "3125550100"}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestTnOrderParseFeatureRules(t *testing.T) {
	tests := []struct {
		name      string
		cells     map[string]string
		errCols   []string
		group     string
		wantField map[string]string
	}{
		{name: "plain row completes synchronously", cells: with(nil, "trunk_group", "TG_CHICAGO_01"), group: ""},
		{name: "calling name makes an order", cells: with(nil, "calling_name", "ACME CORP"), group: "features",
			wantField: map[string]string{"calling_name": "ACME CORP"}},
		{name: "cnam dip alone is no order feature", cells: with(nil, "cnam_dip", "yes"), group: "", wantField: map[string]string{"cnam_dip": "Y"}},
		{name: "calling name over 15", cells: with(nil, "calling_name", "ACME CORPORATION"), errCols: []string{"calling_name"}},
		{name: "calling name without a letter", cells: with(nil, "calling_name", "12345"), errCols: []string{"calling_name"}},
		{name: "cnam dip not Y/N", cells: with(nil, "cnam_dip", "maybe"), errCols: []string{"cnam_dip"}},
		{name: "e911 name alone needs the address", cells: with(nil, "e911_name", "Hope Trope"),
			errCols: []string{"e911_city", "e911_postal_code", "e911_state", "e911_street_info", "e911_street_num"}},
		{name: "e911 complete", cells: with(fullE911(), "e911_location", "Suite 900", "e911_postal_code_plus_four", "1234"), group: "features"},
		{name: "e911 location alone still needs the required fields", cells: with(nil, "e911_location", "Suite 900"),
			errCols: []string{"e911_city", "e911_name", "e911_postal_code", "e911_state", "e911_street_info", "e911_street_num"}},
		{name: "e911 name not ASCII", cells: with(fullE911(), "e911_name", "José Núñez"), errCols: []string{"e911_name"}},
		{name: "e911 plus four not digits", cells: with(fullE911(), "e911_postal_code_plus_four", "12a4"), errCols: []string{"e911_postal_code_plus_four"}},
		{name: "e911 street info over 48", cells: with(fullE911(), "e911_street_info", strings.Repeat("x", 49)), errCols: []string{"e911_street_info"}},
		{name: "e911 state over 2", cells: with(fullE911(), "e911_state", "ILL"), errCols: []string{"e911_state"}},
		{name: "messaging class needs type", cells: with(nil, "messaging_class", "P2P"), errCols: []string{"messaging_type"}},
		{name: "messaging type needs class", cells: with(nil, "messaging_type", "sms"), errCols: []string{"messaging_class"}},
		{name: "net number id alone needs class and type", cells: with(nil, "net_number_id", "123"), errCols: []string{"messaging_class", "messaging_type"}},
		{name: "messaging values swapped", cells: with(nil, "messaging_class", "SMS", "messaging_type", "P2P"), errCols: []string{"messaging_class", "messaging_type"}},
		{name: "messaging canonical case", cells: with(nil, "messaging_class", "a2plc", "messaging_type", "smsmms_alt"), group: "features",
			wantField: map[string]string{"messaging_class": "A2PLC", "messaging_type": "SMSMMS_ALT"}},
		{name: "type of service defaults to B with an end user and a calling name", cells: with(nil, "end_user_name", "Hope", "calling_name", "HOPE"), group: "features",
			wantField: map[string]string{"end_user_type_of_service": "B"}},
		{name: "type of service defaults to B with a directory listing", cells: with(nil, "end_user_city", "Chicago", "dl_last_name", "Acme"), group: "features",
			wantField: map[string]string{"end_user_type_of_service": "B"}},
		{name: "no end user, no typeOfService sent", cells: with(nil, "calling_name", "HOPE"), group: "features",
			wantField: map[string]string{"end_user_type_of_service": ""}},
		{name: "Residence is sent as R", cells: with(nil, "end_user_name", "Hope", "end_user_type_of_service", "residence"), wantField: map[string]string{"end_user_type_of_service": "R"}},
		{name: "type of service other", cells: with(nil, "end_user_type_of_service", "X"), errCols: []string{"end_user_type_of_service"}},
		{name: "end user name over 32", cells: with(nil, "end_user_name", strings.Repeat("n", 33)), errCols: []string{"end_user_name"}},
		{name: "dl city 35 is fine, end user city 32 is not", cells: with(nil, "dl_city", strings.Repeat("c", 35), "end_user_city", strings.Repeat("c", 33)), errCols: []string{"end_user_city"}},
		{name: "dl location over 30", cells: with(nil, "dl_location", strings.Repeat("l", 31)), errCols: []string{"dl_location"}},
		{name: "port out pin over 15", cells: with(nil, "port_out_pin", strings.Repeat("1", 16)), errCols: []string{"port_out_pin"}},
		{name: "bad tn and bad feature both reported", cells: with(nil, "tn", "12345", "calling_name", "999"), errCols: []string{"calling_name", "tn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := tnOrder{}.Parse(row(7, tt.cells))
			assert.Equal(t, tt.errCols, errColumns(t, errs))
			for _, e := range errs {
				assert.Contains(t, e.Error(), "row 7")
			}
			if len(tt.errCols) == 0 {
				assert.Equal(t, tt.group, p.Group)
			}
			for k, v := range tt.wantField {
				assert.Equal(t, v, p.Fields[k], k)
			}
		})
	}
}

func TestTnFeatureParseRemovals(t *testing.T) {
	tests := []struct {
		name    string
		cells   map[string]string
		errCols []string
		want    map[string]string
	}{
		{name: "remove e911 alone", cells: with(nil, "remove_e911", "Y"), want: map[string]string{"remove_e911": "Y"}},
		{name: "remove dl by alias value yes", cells: with(nil, "remove_directory_listing", "yes"), want: map[string]string{"remove_directory_listing": "Y"}},
		{name: "remove N is no removal and no feature", cells: with(nil, "remove_e911", "N"), errCols: []string{"tn"}},
		{name: "nothing to change", cells: with(nil), errCols: []string{"tn"}},
		{name: "remove with values is a contradiction", cells: with(nil, "remove_e911", "Y", "e911_name", "Hope"), errCols: []string{"e911_name"}},
		{name: "remove caller id with a calling name", cells: with(nil, "remove_caller_id", "Y", "calling_name", "ACME"), errCols: []string{"calling_name"}},
		{name: "remove flag not Y/N", cells: with(nil, "remove_messaging", "please"), errCols: []string{"remove_messaging"}},
		{name: "add e911 needs the address here too", cells: with(nil, "e911_name", "Hope"),
			errCols: []string{"e911_city", "e911_postal_code", "e911_state", "e911_street_info", "e911_street_num"}},
		{name: "update cnam dip only", cells: with(nil, "cnam_dip", "N"), want: map[string]string{"cnam_dip": "N"}},
		{name: "add messaging and remove e911", cells: with(nil, "messaging_class", "P2P", "messaging_type", "SMS", "remove_e911", "Y"),
			want: map[string]string{"messaging_class": "P2P", "remove_e911": "Y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := tnFeature{}.Parse(row(3, tt.cells))
			assert.Equal(t, tt.errCols, errColumns(t, errs))
			for k, v := range tt.want {
				assert.Equal(t, v, p.Fields[k], k)
			}
		})
	}
}

// TestBuildGolden checks the requests the lifecycle kinds build against
// golden files (go test ./jobs -run TestBuildGolden -update rewrites them).
func TestBuildGolden(t *testing.T) {
	featured := with(fullE911(), "tn", "2015540100", "trunk_group", "TG_CHICAGO_01", "port_out_pin", "8642", "tn_note", "wave 1",
		"end_user_name", "Hope Trope", "end_user_street_num", "100", "end_user_city", "Chicago", "end_user_state", "IL",
		"calling_name", "ACME CORP", "cnam_dip", "Y", "dl_last_name", "Acme Corp", "dl_city", "Chicago",
		"messaging_class", "P2P", "messaging_type", "SMS", "net_number_id", "0123")
	tests := []struct {
		golden string
		job    Job
		rows   []map[string]string
	}{
		{"tn_order_features.json", tnOrder{}, []map[string]string{featured, {"tn": "2015540101"}}},
		{"tn_feature.json", tnFeature{}, []map[string]string{
			{"tn": "3123489651", "calling_name": "ACME", "cnam_dip": "N", "remove_e911": "Y"},
			{"tn": "3123489652", "remove_caller_id": "Y", "remove_directory_listing": "Y", "remove_messaging": "Y"},
			{"tn": "3123489653", "end_user_name": "Hope", "dl_last_name": "Trope", "dl_first_name": "Hope"},
		}},
		{"tn_disconnect.json", tnDisconnect{}, []map[string]string{{"tn": "3123489651"}, {"tn": "3123489652"}}},
		{"tn_trunk_group.json", tnTrunkGroup{}, []map[string]string{{"tn": "3123489651", "trunk_group": "TG_CHICAGO_02"}}},
		{"tn_pin.json", tnPin{}, []map[string]string{{"tn": "3123489651", "port_out_pin": "8642"}}},
		{"tn_reserve.json", tnReserve{}, []map[string]string{{"tn": "2015540100"}, {"tn": "2015540101"}}},
		{"tn_release.json", tnRelease{}, []map[string]string{{"tn": "2015540100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			b := batchOf(t, tt.job, tt.rows...)
			req, err := tt.job.Build(b)
			require.NoError(t, err)
			got, err := json.MarshalIndent(req, "", "  ")
			require.NoError(t, err)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./jobs -run TestBuildGolden -update")
			assert.JSONEq(t, string(want), string(got))
		})
	}
}

// batchOf parses rows with job and makes a batch of them, as the pipeline
// would (it fails the test on a row the job rejects).
func batchOf(t *testing.T, job Job, cells ...map[string]string) *Batch {
	t.Helper()
	b := &Batch{ID: 1, CustomerOrderReference: "test-" + job.Spec().Name + "-1"}
	for i, c := range cells {
		p, errs := job.Parse(row(i+2, c))
		require.Empty(t, errs, "row %d", i+2)
		b.Rows = append(b.Rows, record.Row{Seq: i + 1, Line: i + 2, Key: p.Key, Fields: p.Fields})
	}
	return b
}

// TestSpecsAreUsable: every lifecycle kind's columns are documented, their spellings
// do not collide, and the example row `iqbulk template` writes is valid.
func TestSpecsAreUsable(t *testing.T) {
	reg := Default()
	names := map[string]bool{}
	for _, j := range reg.All() {
		names[j.Spec().Name] = true
	}
	for _, want := range []string{"tn-order", "tn-note", "tn-disconnect", "tn-trunk-group", "tn-feature", "tn-pin", "tn-reserve", "tn-release"} {
		assert.True(t, names[want], "%s is registered", want)
	}
	for _, kind := range lifecycleSamples {
		j, err := reg.Lookup(kind)
		require.NoError(t, err)
		s := j.Spec()
		t.Run(s.Name, func(t *testing.T) {
			assert.NotEmpty(t, s.Summary)
			assert.NotEmpty(t, s.Operations)
			spellings := map[string]string{}
			example := map[string]string{}
			for _, c := range s.Columns {
				assert.NotEmpty(t, c.Help, c.Name)
				assert.Equal(t, strings.ToLower(c.Name), c.Name, "snake_case")
				for _, sp := range append([]string{c.Name}, c.Aliases...) {
					k := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(sp))
					if other, dup := spellings[k]; dup && other != c.Name {
						t.Errorf("%q (%s) collides with column %s", sp, c.Name, other)
					}
					spellings[k] = c.Name
				}
				example[c.Name] = c.Example
			}
			_, errs := j.Parse(row(2, example))
			assert.Empty(t, errs, "the template's example row is valid")
		})
	}
	destructive := map[string]bool{}
	for _, j := range reg.All() {
		destructive[j.Spec().Name] = j.Spec().Destructive
	}
	assert.True(t, destructive["tn-disconnect"])
	assert.True(t, destructive["tn-feature"])
	assert.False(t, destructive["tn-order"])
}

// FuzzParseFeatures feeds arbitrary cells to the feature columns of
// tn-order and tn-feature: parsing never panics, and a row it accepts
// builds a request that honours the guide's limits.
func FuzzParseFeatures(f *testing.F) {
	f.Add("3125550100", "ACME", "Hope Trope", "P2P", "SMS", "Y", "60606", "B")
	f.Add("(312) 555-0100", "12345678901234567", "", "sms", "", "maybe", "00000", "Residence")
	f.Add("", "\x00", "José", "A2P8XX", "SMSMMS_ALT", "N", "1234567890A", "")
	f.Fuzz(func(t *testing.T, tn, calling, name, class, typ, remove, postal, tos string) {
		cells := map[string]string{"tn": tn, "calling_name": calling, "e911_name": name, "e911_street_num": "1",
			"e911_street_info": "Main", "e911_city": "X", "e911_state": "IL", "e911_postal_code": postal,
			"messaging_class": class, "messaging_type": typ, "remove_directory_listing": remove,
			"end_user_name": name, "end_user_type_of_service": tos}
		for _, j := range []Job{tnOrder{}, tnFeature{}} {
			p, errs := j.Parse(row(2, cells))
			for _, e := range errs {
				var fe *readers.FieldError
				require.True(t, errors.As(e, &fe))
			}
			if len(errs) > 0 {
				continue
			}
			b := &Batch{ID: 1, CustomerOrderReference: "fuzz", Rows: []record.Row{{Seq: 1, Key: p.Key, Fields: p.Fields}}}
			req, err := j.Build(b)
			require.NoError(t, err)
			data, err := json.Marshal(req)
			require.NoError(t, err)
			require.True(t, utf8.Valid(data))
			if cn := p.Fields["calling_name"]; cn != "" {
				require.LessOrEqual(t, utf8.RuneCountInString(cn), 15)
			}
			if v := p.Fields["end_user_type_of_service"]; v != "" {
				require.Contains(t, []string{"B", "R"}, v)
			}
		}
	})
}
