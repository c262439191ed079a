package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validate checks v (decoded JSON) against the subset of JSON Schema that
// docs/schema uses: type, required, properties, additionalProperties
// (false or a schema), items, enum, minimum. It returns every violation.
func validate(schema map[string]any, v any, path string) []string {
	var errs []string
	if t, ok := schema["type"].(string); ok && !hasType(v, t) {
		return []string{fmt.Sprintf("%s: want %s, got %T", path, t, v)}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v not in %v", path, v, enum))
	}
	if min, ok := schema["minimum"].(float64); ok {
		if n, ok := v.(float64); ok && n < min {
			errs = append(errs, fmt.Sprintf("%s: %v < minimum %v", path, n, min))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range schema["required"].([]any) {
			if _, ok := x[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", path, r))
			}
		}
		props, _ := schema["properties"].(map[string]any)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, validate(ps, x[k], path+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: unexpected property %q", path, k))
				}
			case map[string]any:
				errs = append(errs, validate(ap, x[k], path+"."+k)...)
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, it := range x {
				errs = append(errs, validate(items, it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n)
	}
	return false
}

// loadSchema reads a schema from docs/schema, with "required": [] filled in
// where absent so validate can range over it.
func loadSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../docs/schema/" + name)
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal(data, &s))
	var fill func(m map[string]any)
	fill = func(m map[string]any) {
		if _, ok := m["required"]; !ok {
			m["required"] = []any{}
		}
		for _, k := range []string{"items", "additionalProperties"} {
			if c, ok := m[k].(map[string]any); ok {
				fill(c)
			}
		}
		if ps, ok := m["properties"].(map[string]any); ok {
			for _, p := range ps {
				fill(p.(map[string]any))
			}
		}
	}
	fill(s)
	return s
}

// TestSchemaValidatorCatchesViolations proves the validator can fail.
func TestSchemaValidatorCatchesViolations(t *testing.T) {
	schema := loadSchema(t, "summary.schema.json")
	good := `{"job":"tn-order","run_id":"r","run_dir":"d","endpoint":"sandbox","dry_run":false,"rows":1,
		"outcomes":{"ok":1,"excluded":0,"invalid":0,"failed":0,"in-doubt":0,"pending":0,"skipped":0},"requests":1,"retries":0,"throttled":0,"exit_code":0}`
	tests := []struct {
		name, doc, want string
	}{
		{"valid", good, ""},
		{"missing field", `{"job":"x"}`, "missing required"},
		{"unknown field", good[:len(good)-1] + `,"surprise":1}`, "unexpected property"},
		{"wrong type", `{"job":1}`, "want string"},
		{"bad exit code", good[:len(good)-1] + `,"exit_code":7}`, "not in"},
		{"negative count", `{"outcomes":{"ok":-1}}`, "minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			require.NoError(t, json.Unmarshal([]byte(tt.doc), &v))
			errs := validate(schema, v, "$")
			if tt.want == "" {
				assert.Empty(t, errs)
				return
			}
			assert.Contains(t, fmt.Sprint(errs), tt.want)
		})
	}
}
