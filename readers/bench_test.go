package readers

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const benchRows = 1_000_000

// heapSampler records the peak heap while a benchmark runs.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			s.peak = max(s.peak, ms.HeapAlloc)
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peak heap in MiB.
func (s *heapSampler) Stop() float64 {
	close(s.stop)
	s.done.Wait()
	return float64(s.peak) / (1 << 20)
}

func benchRead(b *testing.B, path string) {
	runtime.GC()
	sampler := startHeapSampler()
	rows := 0
	for b.Loop() {
		r, err := Open(path, Options{})
		require.NoError(b, err)
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(b, err)
			rows++
		}
		require.NoError(b, r.Close())
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(sampler.Stop(), "peak-heap-MB")
	if rows != benchRows*b.N {
		b.Fatalf("read %d rows, want %d", rows, benchRows*b.N)
	}
}

// BenchmarkReadCSV1M reads a 1,000,000-row manifest written once into b.TempDir.
func BenchmarkReadCSV1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "1m.csv")
	f, err := os.Create(path)
	require.NoError(b, err)
	w := bufio.NewWriter(f)
	_, _ = fmt.Fprintln(w, "TN,Note,Site")
	for i := range benchRows {
		_, _ = fmt.Fprintf(w, "312%07d,\"note, number %d\",site-%d\r\n", 5550000+i, i, i%100)
	}
	require.NoError(b, w.Flush())
	require.NoError(b, f.Close())
	benchRead(b, path)
}

// BenchmarkReadXLSX1M reads a 1,000,000-row workbook (numbers as numeric
// cells, one column with an exponent number format) written once into
// b.TempDir with excelize's stream writer.
func BenchmarkReadXLSX1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "1m.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(b, err)
	code := "0.00E+00"
	expStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	require.NoError(b, err)
	require.NoError(b, sw.SetRow("A1", []any{"TN", "Note", "Site"}))
	for i := range benchRows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		tn := excelize.Cell{Value: 3120000000 + 5550000 + i}
		if i%2 == 0 {
			tn.StyleID = expStyle
		}
		require.NoError(b, sw.SetRow(cell, []any{tn, fmt.Sprintf("note, number %d", i), fmt.Sprintf("site-%d", i%100)}))
	}
	require.NoError(b, sw.Flush())
	require.NoError(b, f.SaveAs(path))
	require.NoError(b, f.Close())
	benchRead(b, path)
}
