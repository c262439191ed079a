// Command genmanifest writes a large tn-note manifest (tn, note, site) for
// the memory benchmark (bench/memory.sh): -rows N valid ten-digit numbers
// from 2012000000 up (NPA 201, NXX 200 on), as CSV or XLSX (streamed with
// excelize's StreamWriter) by the extension of -o.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "data rows")
	out := flag.String("o", "manifest.xlsx", "output file (.xlsx or .csv)")
	flag.Parse()
	if err := write(*out, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "genmanifest:", err)
		os.Exit(1)
	}
}

func row(i int) []string {
	return []string{fmt.Sprintf("%d", 2_012_000_000+i), fmt.Sprintf("bulk note %d", i), fmt.Sprintf("site %d", i%97)}
}

func write(path string, n int) error {
	header := []string{"tn", "note", "site"}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, strings.Join(header, ","))
		for i := range n {
			fmt.Fprintln(w, strings.Join(row(i), ","))
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	vals := func(s []string) []any {
		out := make([]any, len(s))
		for i, v := range s {
			out[i] = v
		}
		return out
	}
	if err := sw.SetRow("A1", vals(header)); err != nil {
		return err
	}
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals(row(i))); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.SaveAs(path)
}
