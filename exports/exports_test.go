package exports_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
	"github.com/iqbulk/iqbulk/writers"
)

// worldSize gives four inventory pages (3 full, 1 partial) minus nothing:
// the fixed blocks hold exactly this many available numbers.
const worldSize = 35_000

// harness is a sandbox behind a loopback server with a hook run after
// every answer, and a client to it.
type harness struct {
	srv   *sandbox.Server
	api   *inteliquent.Client
	mu    sync.Mutex
	after func(op string, n int) // n: 1-based count of answers to op
	count map[string]int
}

func newHarness(t *testing.T, opts sandbox.Options) *harness {
	t.Helper()
	srv, err := sandbox.New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	h := &harness{srv: srv, count: map[string]int{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r)
		op := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		h.mu.Lock()
		h.count[op]++
		n, after := h.count[op], h.after
		h.mu.Unlock()
		if after != nil {
			after(op, n)
		}
	}))
	t.Cleanup(hs.Close)
	api, err := inteliquent.New(inteliquent.Config{BaseURL: hs.URL + "/Services/1.0.0", Key: sandbox.DemoKey,
		Secret: sandbox.DemoSecret, Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	require.NoError(t, err)
	h.api = api
	return h
}

func (h *harness) calls(op string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count[op]
}

func readRows(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	return recs[0], recs[1:]
}

func run(t *testing.T, h *harness, o exports.Options) exports.Result {
	t.Helper()
	res, err := exports.Run(context.Background(), h.api, exports.Default(), o)
	require.NoError(t, err)
	return res
}

func assertSortedUnique(t *testing.T, rows [][]string) {
	t.Helper()
	for i := 1; i < len(rows); i++ {
		require.Less(t, rows[i-1][0], rows[i][0], "row %d: not ascending or duplicated", i)
	}
}

func TestInventoryExport(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: worldSize})
	out := filepath.Join(t.TempDir(), "inv.csv")
	res := run(t, h, exports.Options{Kind: "inventory", Out: out})
	header, rows := readRows(t, out)
	assert.Equal(t, "telephone_number", header[0])
	require.Len(t, rows, worldSize)
	assertSortedUnique(t, rows)
	assert.Equal(t, int64(worldSize), res.Rows)
	assert.Equal(t, int64(4), res.Requests, "ceil(N/10000) requests")
	assert.Equal(t, int64(0), res.Restarts)
	assert.NoFileExists(t, out+exports.PartialSuffix)
	assert.NoFileExists(t, out+exports.StateSuffix)
	assert.FileExists(t, out+exports.SummarySuffix)
}

func TestInventoryScrollExpiryMidExport(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: worldSize})
	h.after = func(op string, n int) {
		if op == "tnInventory" && (n == 2 || n == 6) {
			h.srv.ExpireScrolls() // the continuations to pages 3 and 4 are refused
		}
	}
	out := filepath.Join(t.TempDir(), "inv.csv")
	res := run(t, h, exports.Options{Kind: "inventory", Out: out})
	_, rows := readRows(t, out)
	require.Len(t, rows, worldSize, "exact row count")
	assertSortedUnique(t, rows)
	assert.Equal(t, int64(2), res.Restarts)
	// each restart costs the refused continuation and a new scroll from
	// page 1 (page/size may not reach past the first 10,000 results)
	// forward to the page after the last written number: 1+2, then 1+3
	assert.Equal(t, int64(4+(1+2)+(1+3)), res.Requests)
}

func TestInventoryScrollExpiryAfterInventoryShrank(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: worldSize})
	var first []string
	var once sync.Once
	h.after = func(op string, n int) {
		if op == "tnInventory" && n == 2 {
			once.Do(func() {
				// Someone orders 60 numbers of page 1 after it was
				// written, then the scroll expires: the restart page
				// shifts back by 60 and must not leave a gap.
				inv, err := h.api.TnInventory(context.Background(), &inteliquent.TnInventoryRequest{TnMask: "201267xxxx",
					PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: 60, Page: 1}})
				require.NoError(t, err)
				req := &inteliquent.TnOrderRequest{}
				for _, it := range inv.TnResult {
					first = append(first, string(it.TelephoneNumber))
					req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: it.TelephoneNumber})
				}
				resp, err := h.api.TnOrder(context.Background(), req)
				require.NoError(t, err)
				require.Equal(t, "Success", resp.Status)
				h.srv.ExpireScrolls()
			})
		}
	}
	out := filepath.Join(t.TempDir(), "inv.csv")
	res := run(t, h, exports.Options{Kind: "inventory", Out: out})
	_, rows := readRows(t, out)
	assertSortedUnique(t, rows)
	assert.Equal(t, int64(1), res.Restarts)
	// 4 pages, the refused continuation, the new scroll's pages 1 and 2
	// (re-read from page 1: page/size may not reach past the first 10,000
	// results), and the hook's own tnInventory and tnOrder through the
	// same client
	assert.Equal(t, int64(4+1+2+2), res.Requests)
	require.Len(t, first, 60)
	assert.Equal(t, first[0], rows[0][0], "ordered numbers written before the restart stay")
	// Every number is in the file exactly once: those ordered after their
	// page was written stay, nothing after them is lost.
	require.Len(t, rows, worldSize)
}

// interruptAfter runs an inventory export to out that is cancelled after
// the n-th tnInventory answer, then leaves bytes of an uncommitted page at
// the end of the partial file, as a SIGKILL between write and checkpoint
// would.
func interruptAfter(t *testing.T, h *harness, out string, n int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.after = func(op string, k int) {
		if op == "tnInventory" && k == n {
			cancel()
		}
	}
	_, err := exports.Run(ctx, h.api, exports.Default(), exports.Options{Kind: "inventory", Out: out})
	require.Error(t, err)
	h.after = nil
	assert.NoFileExists(t, out)
	f, err := os.OpenFile(out+exports.PartialSuffix, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.WriteString("2012670000,TORN,PAGE\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func TestResumeIsByteIdentical(t *testing.T) {
	for _, ext := range []string{"csv", "jsonl"} {
		t.Run(ext, func(t *testing.T) {
			h := newHarness(t, sandbox.Options{WorldSize: worldSize})
			dir := t.TempDir()
			whole := filepath.Join(dir, "whole."+ext)
			run(t, h, exports.Options{Kind: "inventory", Out: whole})

			out := filepath.Join(dir, "resumed."+ext)
			interruptAfter(t, h, out, h.calls("tnInventory")+2)
			res := run(t, h, exports.Options{Kind: "inventory", Out: out, Resume: true})
			assert.True(t, res.Resumed)
			assert.Equal(t, int64(worldSize), res.Rows)
			want, err := os.ReadFile(whole)
			require.NoError(t, err)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			require.Equal(t, len(want), len(got))
			assert.True(t, string(want) == string(got), "resumed file differs from the uninterrupted one")
		})
	}
}

func TestResumeXLSX(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 15_000})
	dir := t.TempDir()
	out := filepath.Join(dir, "inv.xlsx")
	h.after = nil
	// first page written, the second interrupted
	ctx, cancel := context.WithCancel(context.Background())
	h.after = func(op string, k int) {
		if op == "tnInventory" && k == 1 {
			cancel()
		}
	}
	_, err := exports.Run(ctx, h.api, exports.Default(), exports.Options{Kind: "inventory", Out: out})
	require.Error(t, err)
	h.after = nil
	res := run(t, h, exports.Options{Kind: "inventory", Out: out, Resume: true})
	assert.Equal(t, int64(15_000), res.Rows)
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("export")
	require.NoError(t, err)
	require.Len(t, rows, 15_001)
	assert.Equal(t, "telephone_number", rows[0][0])
	assertSortedUnique(t, rows[1:])
}

func TestResumeRefusesOtherFilters(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: worldSize})
	out := filepath.Join(t.TempDir(), "inv.csv")
	interruptAfter(t, h, out, 2)
	_, err := exports.Run(context.Background(), h.api, exports.Default(), exports.Options{Kind: "inventory", Out: out,
		Resume: true, Filters: map[string]string{"lata": "224"}})
	require.ErrorIs(t, err, exports.ErrUsage)
	// without --resume it starts over
	res := run(t, h, exports.Options{Kind: "inventory", Out: out, Filters: map[string]string{"lata": "224"}})
	assert.False(t, res.Resumed)
	_, rows := readRows(t, out)
	assert.Len(t, rows, 29_000) // the NJ blocks (LATA 224)
}

func TestEmptyListingWritesHeader(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	for _, tc := range []struct {
		kind   string
		format writers.Format
		o      exports.Options
	}{
		{"reserved", writers.CSV, exports.Options{}},
		{"reserved", writers.XLSX, exports.Options{}},
		{"reserved", writers.JSONL, exports.Options{}},
		{"e911-calls", writers.CSV, exports.Options{StartDate: "2016-01-01", EndDate: "2016-02-01"}},
		{"mdr", writers.CSV, exports.Options{StartDate: "2016-01-01", EndDate: "2016-01-03",
			Filters: map[string]string{"direction": "all", "message-class": "all", "message-type": "all"}}},
		{"inventory", writers.CSV, exports.Options{Filters: map[string]string{"tn-mask": "999999xxxx"}}},
	} {
		t.Run(tc.kind+"."+string(tc.format), func(t *testing.T) {
			o := tc.o
			o.Kind, o.Out = tc.kind, filepath.Join(dir, tc.kind+"."+string(tc.format))
			res := run(t, h, o)
			assert.Equal(t, int64(0), res.Rows)
			switch tc.format {
			case writers.CSV:
				header, rows := readRows(t, o.Out)
				assert.NotEmpty(t, header)
				assert.Empty(t, rows)
			case writers.JSONL:
				b, err := os.ReadFile(o.Out)
				require.NoError(t, err)
				assert.Empty(t, b)
			case writers.XLSX:
				f, err := excelize.OpenFile(o.Out)
				require.NoError(t, err)
				rows, err := f.GetRows("export")
				require.NoError(t, err)
				require.Len(t, rows, 1)
				assert.Equal(t, "telephone_number", rows[0][0])
				f.Close()
			}
		})
	}
}

func TestKindsAgainstSandbox(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	ctx := context.Background()
	// a feature order on two portfolio numbers makes an order and features
	feat := &inteliquent.TnFeatureOrderRequest{}
	feat.TnFeatureOrder.CustomerOrderReference = "exports-test-1"
	feat.TnFeatureOrder.TnList.TnItem = []inteliquent.TnFeatureOrderItem{
		{TN: "3123489651", TnFeature: inteliquent.TnFeature{CallerID: &inteliquent.CallerID{CallingName: "ACME CORP"},
			Messaging: &inteliquent.Messaging{MessageClass: "P2P", MessageType: "SMS"}}},
		{TN: "3123489652", TnFeature: inteliquent.TnFeature{CallerID: &inteliquent.CallerID{CallingName: "ACME SALES"}}},
	}
	resp, err := h.api.TnFeatureOrder(ctx, feat)
	require.NoError(t, err)
	require.False(t, resp.OrderID.IsZero())
	tns := h.srv.AvailableTNs(3)
	res, err := h.api.TnReserve(ctx, &inteliquent.TnReserveRequest{TnReserve: inteliquent.TnListWrapper{TnList: inteliquent.TnRefs(
		inteliquent.TN(tns[0]), inteliquent.TN(tns[1]), inteliquent.TN(tns[2]))}})
	require.NoError(t, err)
	require.Equal(t, 3, res.TnReserveResponse.ReservedTnCount.Int())

	assignedNow, err := h.api.TnAssignedList(ctx, &inteliquent.TnAssignedListRequest{})
	require.NoError(t, err)
	portfolio := len(assignedNow.TnBasicList.TnBasicItem)
	require.Greater(t, portfolio, 5)

	dir := t.TempDir()
	tests := []struct {
		kind    string
		filters map[string]string
		o       exports.Options
		check   func(t *testing.T, header []string, rows [][]string)
	}{
		{"assigned", nil, exports.Options{PageSize: 5}, func(t *testing.T, header []string, rows [][]string) {
			require.Len(t, rows, portfolio, "the sandbox's portfolio")
			assertSortedUnique(t, rows)
			i := indexOf(header, "calling_name")
			assert.Equal(t, "ACME CORP", rows[indexRow(rows, "3123489651")][i])
		}},
		{"assigned-basic", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			require.Len(t, rows, portfolio)
			assert.Equal(t, "In Service", rows[0][1])
		}},
		{"reserved", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			require.Len(t, rows, 3)
			assert.ElementsMatch(t, tns, []string{rows[0][0], rows[1][0], rows[2][0]})
		}},
		{"orders", map[string]string{"customer-order-reference": "exports-test-1"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			require.Len(t, rows, 1)
			assert.Equal(t, resp.OrderID.String(), rows[0][0])
			assert.Equal(t, "exports-test-1", rows[0][3])
		}},
		{"features", map[string]string{"feature": "cnam"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"3123489651", "ACME CORP"}, {"3123489652", "ACME SALES"}}, rows)
		}},
		{"features", map[string]string{"feature": "messaging"}, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			assert.Equal(t, [][]string{{"3123489651", "P2P", "SMS"}}, rows)
		}},
		{"campaigns", nil, exports.Options{}, func(t *testing.T, _ []string, rows [][]string) {
			require.NotEmpty(t, rows)
			assert.Equal(t, "CXFXN8B", rows[0][0])
		}},
		{"mdr", map[string]string{"direction": "all", "message-class": "P2P", "message-type": "all"},
			exports.Options{StartDate: "2024-03-01", EndDate: "2024-03-03"}, func(t *testing.T, header []string, rows [][]string) {
				require.NotEmpty(t, rows)
				d := indexOf(header, "message_date")
				for _, r := range rows {
					assert.True(t, r[d] >= "2024-03-01" && r[d] < "2024-03-03", r[d])
					assert.Equal(t, "P2P", r[2])
					assert.True(t, strings.HasPrefix(r[d], r[0][:10]), "record %s outside its daily window %s", r[d], r[0])
				}
			}},
		{"e911-calls", nil, exports.Options{StartDate: "2024-01-01", EndDate: "2024-03-01", PageSize: 7},
			func(t *testing.T, _ []string, rows [][]string) {
				require.Greater(t, len(rows), 7, "more than one page")
				for i := 1; i < len(rows); i++ {
					assert.LessOrEqual(t, rows[i-1][1], rows[i][1], "by call date")
				}
			}},
	}
	for i, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			o := tc.o
			o.Kind, o.Filters, o.Out = tc.kind, tc.filters, filepath.Join(dir, tc.kind+strings.Repeat("_", i)+".csv")
			res := run(t, h, o)
			header, rows := readRows(t, o.Out)
			assert.Equal(t, len(rows), int(res.Rows))
			tc.check(t, header, rows)
		})
	}
}

func indexOf(header []string, col string) int {
	for i, h := range header {
		if h == col {
			return i
		}
	}
	panic("no column " + col)
}

func indexRow(rows [][]string, key string) int {
	for i, r := range rows {
		if r[0] == key {
			return i
		}
	}
	return -1
}

func TestMDRWindowsAndCombinations(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	out := filepath.Join(t.TempDir(), "mdr.csv")
	res := run(t, h, exports.Options{Kind: "mdr", Out: out, StartDate: "2024-03-01T12:00:00Z", EndDate: "2024-03-03",
		Filters: map[string]string{"direction": "all", "message-class": "all", "message-type": "all"}})
	// 2 windows (12:00-24:00, then a whole day) × 2 directions × 3 classes × 2 types
	assert.Equal(t, int64(2*2*3*2), res.Requests)
	assert.Equal(t, int64(24), res.Pages)
}

func TestSinceLastBookmark(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	out := filepath.Join(t.TempDir(), "calls.csv")
	_, err := exports.Run(context.Background(), h.api, exports.Default(), exports.Options{Kind: "e911-calls", Out: out, Since: "last"})
	require.ErrorIs(t, err, exports.ErrUsage, "first --since last needs --start-date")

	r1 := run(t, h, exports.Options{Kind: "e911-calls", Out: out, Since: "last", StartDate: "2024-01-01", EndDate: "2024-02-01"})
	b, ok, err := exports.ReadBookmark(out)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), b.End)
	_, first := readRows(t, out)
	assert.Equal(t, int(r1.Rows), len(first))

	// --since last never replaces the earlier file: the new window goes
	// to another file, reading the first one's bookmark.
	_, err = exports.Run(context.Background(), h.api, exports.Default(), exports.Options{Kind: "e911-calls", Out: out, Since: "last", EndDate: "2024-03-01"})
	require.ErrorIs(t, err, exports.ErrUsage)
	assert.Contains(t, err.Error(), "--force")
	_, again := readRows(t, out)
	assert.Equal(t, first, again, "the earlier rows are still there")

	// A failing run (every request answers try-again) leaves the bookmark.
	out2 := filepath.Join(t.TempDir(), "calls-2.csv")
	bm := out + exports.BookmarkSuffix
	h.srv.SetFaults(sandbox.Faults{Error: 1})
	_, err = exports.Run(context.Background(), h.api, exports.Default(), exports.Options{Kind: "e911-calls", Out: out2, Bookmark: bm, Since: "last", EndDate: "2024-03-01"})
	require.Error(t, err)
	b2, _, err := exports.ReadBookmark(out)
	require.NoError(t, err)
	assert.Equal(t, b.End, b2.End, "bookmark not advanced after a failure")
	h.srv.SetFaults(sandbox.Faults{})

	// The next run starts where the first ended: together the two files
	// equal one export of the whole range.
	r2 := run(t, h, exports.Options{Kind: "e911-calls", Out: out2, Bookmark: bm, Since: "last", EndDate: "2024-03-01", Resume: true})
	assert.Equal(t, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), r2.Start)
	_, second := readRows(t, out2)
	whole := filepath.Join(t.TempDir(), "whole.csv")
	run(t, h, exports.Options{Kind: "e911-calls", Out: whole, StartDate: "2024-01-01", EndDate: "2024-03-01"})
	_, all := readRows(t, whole)
	require.NotEmpty(t, second)
	assert.Equal(t, all, append(first, second...), "no gap, no overlap")
	b3, _, _ := exports.ReadBookmark(out)
	assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), b3.End)

	// Every successful export of a dated kind writes its bookmark, with
	// or without --since; --force replaces the file.
	dated := filepath.Join(t.TempDir(), "dated.csv")
	run(t, h, exports.Options{Kind: "e911-calls", Out: dated, StartDate: "2024-01-01", EndDate: "2024-01-15"})
	b4, ok, err := exports.ReadBookmark(dated)
	require.NoError(t, err)
	require.True(t, ok, "a first export given only --start-date writes the bookmark")
	assert.Equal(t, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), b4.End)
	r5 := run(t, h, exports.Options{Kind: "e911-calls", Out: dated, Since: "last", EndDate: "2024-02-01", Force: true})
	assert.Equal(t, b4.End, r5.Start)
}

func TestPortInsEmpty(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 1000})
	for _, list := range []string{"orders", "numbers"} {
		out := filepath.Join(t.TempDir(), "p.csv")
		res, err := exports.Run(context.Background(), h.api, exports.Default(), exports.Options{Kind: "port-ins", Out: out,
			Filters: map[string]string{"list": list}})
		require.NoError(t, err, list)
		assert.Zero(t, res.Rows)
		header, rows := readRows(t, out)
		assert.Equal(t, "order_id", header[0])
		assert.Empty(t, rows)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-01", "2024-03-01 12:00:00", "2024-03-01T12:00:00Z", "2024-03-01T12:00:00.000Z", "2024-03-01T12:00:00+02:00", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := exports.ParseDate(s)
		if err != nil {
			require.ErrorIs(t, err, exports.ErrUsage)
			return
		}
		assert.Equal(t, time.UTC, d.Location())
	})
}
