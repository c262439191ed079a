package readers

import (
	"archive/zip"
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
	benchReadWith(b, path, func() (Reader, error) { return Open(path, Options{}) })
}

func benchReadWith(b *testing.B, path string, open func() (Reader, error)) {
	runtime.GC()
	sampler := startHeapSampler()
	rows := 0
	for b.Loop() {
		r, err := open()
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
// cells, one column with an exponent number format, texts as inline
// strings) written once into b.TempDir with excelize's stream writer:
// sheet-reader is what Open does, excelize-rows the reader it replaced
// (excelize's row iterator with the rewritten number formats), on the
// same file in the same run.
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
	b.Run("sheet-reader", func(b *testing.B) { benchRead(b, path) })
	b.Run("excelize-rows", func(b *testing.B) {
		benchReadWith(b, path, func() (Reader, error) {
			if err := checkZip(path); err != nil {
				return nil, err
			}
			f, err := excelize.OpenFile(path, excelize.Options{UnzipXMLSizeLimit: xlsxInMemoryLimit})
			if err != nil {
				return nil, err
			}
			return newXLSX(f, path, Options{})
		})
	})
}

// BenchmarkReadXLSXShared1M is BenchmarkReadXLSX1M with every text a
// shared string (as Excel saves a workbook): 1,000,000 distinct notes and
// 100 distinct sites in the shared-string table.
func BenchmarkReadXLSXShared1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "1m-shared.xlsx")
	writeSharedWorkbook(b, path, benchRows)
	b.Run("sheet-reader", func(b *testing.B) { benchRead(b, path) })
}

// writeSharedWorkbook writes rows of (number, note, site) with the texts
// in the shared-string table, directly as XML parts.
func writeSharedWorkbook(b *testing.B, path string, rows int) {
	out, err := os.Create(path)
	require.NoError(b, err)
	zw := zip.NewWriter(out)
	put := func(name, body string) {
		w, err := zw.Create(name)
		require.NoError(b, err)
		_, err = io.WriteString(w, body)
		require.NoError(b, err)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	w, err := zw.Create("xl/sharedStrings.xml")
	require.NoError(b, err)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d"><si><t>TN</t></si><si><t>Note</t></si><si><t>Site</t></si>`, 2*rows+3, rows+103)
	for i := range 100 {
		fmt.Fprintf(bw, "<si><t>site-%d</t></si>", i)
	}
	for i := range rows {
		fmt.Fprintf(bw, "<si><t>note, number %d</t></si>", i)
	}
	fmt.Fprint(bw, "</sst>")
	require.NoError(b, bw.Flush())
	w, err = zw.Create("xl/worksheets/sheet1.xml")
	require.NoError(b, err)
	bw = bufio.NewWriter(w)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`)
	for i := range rows {
		n := i + 2
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d" t="s"><v>%d</v></c></row>`, n, n, 3125550000+i, n, 103+i, n, 3+i%100)
	}
	fmt.Fprint(bw, "</sheetData></worksheet>")
	require.NoError(b, bw.Flush())
	require.NoError(b, zw.Close())
	require.NoError(b, out.Close())
}
