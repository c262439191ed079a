package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTnOrderE911AddressValidation (issue 18): through the CLI, a tn-order
// whose E911 address cannot be validated ends excluded after --follow with
// the guide's reason; the guide's valid address ends ok.
func TestTnOrderE911AddressValidation(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(2)
	manifest := writeFile(t, filepath.Join(dir, "o.csv"),
		"tn,e911_name,e911_street_num,e911_street_info,e911_city,e911_state,e911_postal_code\n"+
			tns[0]+",Pat Fake,1,Fake Rd,Nowhere,ZZ,12345\n"+
			tns[1]+",James Holden,550,W Adams St,Chicago,IL,60661\n")
	out := filepath.Join(dir, "run")
	res := s.run(t, "tn-order", manifest, out)
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 2)
	assert.Equal(t, "excluded", rows[0]["status"], "%v", rows[0])
	assert.Contains(t, rows[0]["message"], "The address given could not be validated")
	assert.Equal(t, "ok", rows[1]["status"], "%v", rows[1])
}

// TestE911ValidateAddressWorld (issue 18): a 1,000-row e911-validate run
// with addresses of the sandbox's address world validates the valid ones,
// corrects the typo'd ones and rejects the fakes.
func TestE911ValidateAddressWorld(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	addrs := s.srv.E911Addresses(900)
	var b strings.Builder
	b.WriteString("tn,name,street_num,street_info,city,state,postal_code,kind\n")
	n := 0
	row := func(kind string, a sandbox.E911Address) {
		n++ // tnE911Validate takes any ten-digit number: one per row
		fmt.Fprintf(&b, "%d,Test User,%s,%s,%s,%s,%s,%s\n", 2012000000+n, a.StreetNum, a.StreetInfo, a.City, a.State, a.PostalCode, kind)
	}
	for _, a := range addrs[:900] {
		row("valid", a)
	}
	typos := 0
	for _, a := range addrs {
		if typos == 50 {
			break
		}
		// one typo: two letters of a name of five letters or more swapped
		f := strings.Fields(a.StreetInfo)
		for i, w := range f {
			if len(w) >= 5 && w[1] != w[2] && strings.ToUpper(w) != w {
				f[i] = w[:1] + string(w[2]) + string(w[1]) + w[3:]
				a.StreetInfo = strings.Join(f, " ")
				row("typo", a)
				typos++
				break
			}
		}
	}
	require.Equal(t, 50, typos)
	for i := 0; i < 50; i++ {
		row("fake", sandbox.E911Address{StreetNum: fmt.Sprint(1 + i), StreetInfo: "Fake Rd", City: "Nowhere", State: "ZZ", PostalCode: "12345"})
	}
	manifest := writeFile(t, filepath.Join(dir, "v.csv"), b.String())
	out := filepath.Join(dir, "run")
	res := s.run(t, "e911-validate", manifest, out)
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 1000)
	got := map[string]map[string]int{}
	for _, r := range rows {
		if got[r["kind"]] == nil {
			got[r["kind"]] = map[string]int{}
		}
		got[r["kind"]][r["code"]]++
	}
	t.Logf("codes per kind: %v", got)
	assert.GreaterOrEqual(t, got["valid"]["valid"], 891, "≥ 99%% of the valid addresses validate")
	assert.Equal(t, 50, got["typo"]["corrected"], "every typo is corrected")
	assert.Equal(t, 50, got["fake"]["not-close-enough"], "every fake is rejected")
}
