package record

import "testing"

// Final: decided and neither in doubt nor pending.
func TestFinal(t *testing.T) {
	for _, st := range Statuses() {
		want := st != StatusInDoubt && st != StatusPending
		if Final(st) != want {
			t.Errorf("Final(%q) = %v", st, !want)
		}
	}
	if Final("") {
		t.Error(`Final("") = true: an undecided row is not final`)
	}
}
