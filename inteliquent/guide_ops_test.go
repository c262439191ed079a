package inteliquent

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGuideOps = flag.Bool("update-guide-ops", false, "rewrite guide_ops_table.go from testdata/ENDPOINTS.md")

var (
	endpointRow = regexp.MustCompile(`^\| (\d+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|`)
	endpointMP  = regexp.MustCompile(`^\**(GET|POST)\** /(\w+)(.*)$`)
	exampleName = regexp.MustCompile(`example /(\w+)`)
)

// guideArea maps ENDPOINTS.md's numbering to the guide's chapters (Part 2,
// sections A to M).
func guideArea(n int) string {
	for _, a := range []struct {
		last int
		name string
	}{{5, "client-management"}, {35, "numbers"}, {64, "international"}, {71, "port-in"}, {80, "toll-free"},
		{96, "network"}, {109, "orders"}, {116, "trouble-tickets"}, {117, "health"}, {127, "reference"},
		{133, "deprecated"}, {135, "account"}, {139, "message-broker"}} {
		if n <= a.last {
			return a.name
		}
	}
	return ""
}

// parseEndpoints reads §0 of spec/ENDPOINTS.md (a copy in testdata).
func parseEndpoints(t *testing.T) []GuideOp {
	t.Helper()
	f, err := os.Open("testdata/ENDPOINTS.md")
	require.NoError(t, err)
	defer f.Close()
	var out []GuideOp
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := endpointRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		mp := endpointMP.FindStringSubmatch(strings.TrimSpace(m[3]))
		require.NotNil(t, mp, "method and path of %d: %q", n, m[3])
		op := GuideOp{Num: n, Name: mp[2], Heading: mp[2], Method: mp[1], Title: strings.TrimSpace(m[2]),
			Area: guideArea(n), Kind: strings.TrimSpace(m[4])}
		if ex := exampleName.FindStringSubmatch(mp[3]); ex != nil {
			op.Name = ex[1]
		}
		if n == 47 {
			// Its section: "Example URL: /intlOrderDocumentDownload".
			op.Name = "intlOrderDocumentDownload"
		}
		out = append(out, op)
	}
	require.NoError(t, sc.Err())
	return out
}

func TestGuideOpsMatchEndpoints(t *testing.T) {
	want := parseEndpoints(t)
	require.Len(t, want, 139, "the guide has 139 callable operations")
	if *updateGuideOps {
		var b strings.Builder
		b.WriteString("// Code generated from spec/ENDPOINTS.md §0 by go test -run TestGuideOpsMatchEndpoints -update-guide-ops; DO NOT EDIT.\n\npackage inteliquent\n\n// guideOps is every callable operation of the guide, in its order.\nvar guideOps = [...]GuideOp{\n")
		for _, o := range want {
			fmt.Fprintf(&b, "\t{Num: %d, Name: %q, Heading: %q, Method: %q, Title: %q, Area: %q, Kind: %q},\n", o.Num, o.Name, o.Heading, o.Method, o.Title, o.Area, o.Kind)
		}
		b.WriteString("}\n")
		require.NoError(t, os.WriteFile("guide_ops_table.go", []byte(b.String()), 0o644))
	}
	assert.Equal(t, want, GuideOps())
}

func TestGuideOpsNamesClientOps(t *testing.T) {
	names := map[string]bool{}
	for _, o := range GuideOps() {
		assert.False(t, names[o.Name], "%s twice", o.Name)
		names[o.Name] = true
	}
	// Every operation the client knows is one of the guide's, spelled alike.
	for name := range ops {
		assert.True(t, names[name], "client operation %s is not in the guide's list", name)
	}
	for name := range leftOut {
		assert.True(t, names[name], "reason given for %s, which is not in the guide's list", name)
	}
}
