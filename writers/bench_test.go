package writers

import (
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

const benchRows = 1_000_000

// peakHeap samples the live heap until stop is called, and returns the
// highest value seen in MB.
func peakHeap() (stop func() float64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapAlloc)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		sample()
		mu.Lock()
		defer mu.Unlock()
		return float64(peak) / (1 << 20)
	}
}

// benchWrite writes rows result rows of 10 columns (3 manifest columns
// plus the 7 outcome columns) to a file of format f.
func benchWrite(b *testing.B, f Format, rows int) {
	header := ResultHeader([]string{"tn", "trunk_group", "note"})
	dir := b.TempDir()
	b.ReportAllocs()
	runtime.GC()
	stop := peakHeap()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		tb, err := Create(filepath.Join(dir, "results-"+strconv.Itoa(i)+"."+string(f)), f)
		if err != nil {
			b.Fatal(err)
		}
		if err := tb.WriteHeader(header); err != nil {
			b.Fatal(err)
		}
		row := make([]string, len(header))
		res := Result{Status: "ok", Code: "200", Message: "Success", CustomerOrderReference: "iq-20261127T110000Z-000001"}
		for r := range rows {
			tn := strconv.Itoa(3125550000 + r)
			res.Row = r + 2
			res.OrderID = strconv.Itoa(12346987 + r/100)
			res.Batch = strconv.Itoa(r/100 + 1)
			if r%50 == 0 {
				res.Status, res.Code, res.Message = "excluded", "200", tn+" TN is on an existing order"
			} else {
				res.Status, res.Code, res.Message = "ok", "200", "Success"
			}
			cells := res.Cells(row[:0:0])
			copy(row, []string{tn, "TG-CHICAGO-01", "+1 " + tn})
			copy(row[3:], cells)
			if err := tb.WriteRow(row); err != nil {
				b.Fatal(err)
			}
		}
		if err := tb.Close(); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(stop(), "peak-heap-MB")
	b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
}

func BenchmarkWriteCSV1M(b *testing.B)   { benchWrite(b, CSV, benchRows) }
func BenchmarkWriteXLSX1M(b *testing.B)  { benchWrite(b, XLSX, benchRows) }
func BenchmarkWriteJSONL1M(b *testing.B) { benchWrite(b, JSONL, benchRows) }

// BenchmarkWriteXLSX100K is the same at a tenth of the rows: its
// peak-heap-MB matches BenchmarkWriteXLSX1M's, the memory stays flat.
func BenchmarkWriteXLSX100K(b *testing.B) { benchWrite(b, XLSX, benchRows/10) }
