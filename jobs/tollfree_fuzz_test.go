package jobs

import (
	"strings"
	"testing"
)

// FuzzCicListRule: a cic_list cell either fails or comes back as
// comma-separated four-digit CICs.
func FuzzCicListRule(f *testing.F) {
	for _, s := range []string{"0913", "0913,0222", " 0913 ; 0222|5102 ", "913", "abcd", ",,", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := cicListRule(s)
		if err != nil || out == "" {
			return
		}
		for _, c := range strings.Split(out, ",") {
			if len(c) != 4 || strings.Trim(c, "0123456789") != "" {
				t.Fatalf("%q -> %q: %q is not a CIC", s, out, c)
			}
		}
	})
}
