package exports_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/sandbox"
)

// toySource is one page of one row.
type toySource struct{ done bool }

func (s *toySource) Next(context.Context) (exports.Page, bool, error) {
	if s.done {
		return exports.Page{}, true, nil
	}
	s.done = true
	return exports.Page{Rows: [][]string{{"3125550100"}}}, false, nil
}

func (s *toySource) State() (json.RawMessage, error) { return json.RawMessage(`{}`), nil }

// TestEveryExportKindRunsFromItsExample is the per-kind export test: every
// registered kind, and a toy kind registered here, runs against the
// sandbox from the example its registration declares (Kind.Example), with
// every required filter in it. Adding a kind is its file in exports/ and
// its registration; no list here names it.
func TestEveryExportKindRunsFromItsExample(t *testing.T) {
	var toyGot atomic.Value
	toy := &exports.Kind{
		Name: "toy-listing", Help: "a kind registered by the test",
		Filters: []exports.Filter{{Flag: "toy-id", Param: "toyId", Required: true}},
		Columns: func(map[string]string) []string { return []string{"tn"} },
		Open: func(_ context.Context, env *exports.Env, _ json.RawMessage) (exports.Source, error) {
			toyGot.Store(env.Params["toy-id"])
			return &toySource{}, nil
		},
		Example: func(time.Time) exports.Example { return exports.Example{Filters: map[string]string{"toy-id": "42"}} },
	}
	reg := exports.NewRegistry(append(exports.Default().Kinds(), toy)...)
	h := newHarness(t, sandbox.Options{WorldSize: 2000})
	for _, k := range reg.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			ex := k.ExampleOf(time.Now())
			for _, f := range k.Filters {
				if f.Required && f.Default == "" {
					require.NotEmpty(t, ex.Filters[f.Flag], "%s requires --%s: put a value in the kind's Example", k.Name, f.Flag)
				}
			}
			out := filepath.Join(t.TempDir(), k.Name+".csv")
			o := exports.Options{Kind: k.Name, Out: out}
			ex.Apply(&o)
			_, err := runExport(t.Context(), h.api, reg, o)
			require.NoError(t, err, "export %s %v", k.Name, ex.Args())
			header, _ := readRows(t, out)
			assert.NotEmpty(t, header)
		})
	}
	assert.Equal(t, "42", toyGot.Load(), "the toy kind ran with its example")
}

func TestExampleArgs(t *testing.T) {
	e := exports.Example{Filters: map[string]string{"b": "2", "a": "1"}, StartDate: "2024-01-01"}
	assert.Equal(t, []string{"--a", "1", "--b", "2", "--start-date", "2024-01-01"}, e.Args())
	var o exports.Options
	e.Apply(&o)
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, o.Filters)
	assert.Equal(t, "2024-01-01", o.StartDate)
}
