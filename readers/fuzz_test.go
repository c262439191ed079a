package readers

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/csv/*")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a;b\n\"x\"y;z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSV(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		width := len(r.Header())
		if width == 0 {
			t.Fatal("empty header accepted")
		}
		last := 0
		for range 10000 {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var le *LineError
				if !errors.As(err, &le) && !strings.HasPrefix(err.Error(), "read manifest") {
					t.Fatalf("error without a line: %v", err)
				}
				if _, again := r.Next(); again != err {
					t.Fatalf("error not sticky: %v then %v", err, again)
				}
				return
			}
			if len(row.Values) != width {
				t.Fatalf("row has %d values, header %d", len(row.Values), width)
			}
			if row.Line <= last {
				t.Fatalf("line %d after %d", row.Line, last)
			}
			if isBlankRow(row.Values) {
				t.Fatalf("blank row returned at line %d", row.Line)
			}
			last = row.Line
		}
	})
}

func FuzzMapHeader(f *testing.F) {
	f.Add("TN,Note,Site")
	f.Add("telephone_number,COMMENT,,tn")
	f.Add("Number1,Remark")
	f.Fuzz(func(t *testing.T, line string) {
		header := strings.Split(line, ",")
		m, err := MapHeader(header, noteColumns())
		if err != nil {
			var mce *MissingColumnsError
			var dce *DuplicateColumnError
			if !errors.As(err, &mce) && !errors.As(err, &dce) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if mce != nil && len(mce.Missing) == 0 {
				t.Fatal("missing-columns error with nothing missing")
			}
			return
		}
		seen := map[int]bool{}
		for _, c := range noteColumns() {
			if i, ok := m.Index(c.Name); ok {
				if seen[i] {
					t.Fatalf("header index %d mapped twice", i)
				}
				seen[i] = true
			} else if c.Required {
				t.Fatalf("required column %q missing without error", c.Name)
			}
		}
		for _, i := range m.Unknown() {
			if seen[i] {
				t.Fatalf("index %d both known and unknown", i)
			}
			seen[i] = true
		}
		if len(seen) != len(header) {
			t.Fatalf("%d of %d header cells accounted for", len(seen), len(header))
		}
	})
}

func FuzzNormalizeTN(f *testing.F) {
	for _, s := range []string{"3125550100", "+1 (312) 555-0100", "3.12E+09", "3125550100.0", "312555010", "1-800-FLOWERS", "'3125550100", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tn, err := NormalizeTN(s)
		if err != nil {
			var te *TNError
			if !errors.As(err, &te) || te.Reason == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			if tn != "" {
				t.Fatalf("value %q returned with an error", tn)
			}
			return
		}
		if len(tn) != 10 || !isDigits(tn) || tn[0] < '2' || tn[3] < '2' {
			t.Fatalf("%q normalised to invalid %q", s, tn)
		}
		if !utf8.ValidString(s) {
			return
		}
		// Every digit of the result is in the input, in order.
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if !strings.Contains(digits, tn) {
			t.Fatalf("%q normalised to %q, digits not in the input", s, tn)
		}
		again, err := NormalizeTN(tn)
		if err != nil || again != tn {
			t.Fatalf("not idempotent: %q -> %q (%v)", tn, again, err)
		}
	})
}
