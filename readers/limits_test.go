package readers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rezip copies the workbook at src to dst, adding one part whose entry
// declares the given sizes and holds data as it is.
func rezip(t *testing.T, src, dst, name string, data []byte, compressed, uncompressed uint64) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	require.NoError(t, err)
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CompressedSize64: compressed, UncompressedSize64: uncompressed})
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(dst, buf.Bytes(), 0o600))
}

// deflated compresses n zero bytes: about 1 KiB per MiB.
func deflated(t *testing.T, n int) []byte {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	require.NoError(t, err)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		_, err = fw.Write(chunk[:k])
		require.NoError(t, err)
		n -= k
	}
	require.NoError(t, fw.Close())
	return buf.Bytes()
}

// TestXLSXZipBomb: a workbook whose parts inflate past the bounds is
// refused from its directory, before anything is expanded.
func TestXLSXZipBomb(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xlsx")
	writeXLSX(t, good, []xlsxSheet{{name: "S", cells: []xlsxCell{{ref: "A1", value: "tn"}, {ref: "A2", value: "3125550100"}}}})
	bomb := deflated(t, 64<<20)
	tests := []struct {
		name         string
		data         []byte
		comp, uncomp uint64
		wantErr      string
	}{
		{"ratio", bomb, uint64(len(bomb)), 64 << 20, "inflates"},
		{"declared huge", []byte{0}, 1, 3 << 30, "inflates to 3072 MiB"},
		{"small part is fine", deflated(t, 1<<20), 0, 1 << 20, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".xlsx")
			comp := tt.comp
			if comp == 0 {
				comp = uint64(len(tt.data))
			}
			rezip(t, good, path, "xl/media/blob"+string(rune('a'+i))+".bin", tt.data, comp, tt.uncomp)
			r, err := Open(path, Options{})
			if tt.wantErr == "" {
				require.NoError(t, err)
				r.Close()
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrZipBomb)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestClipAndMessages(t *testing.T) {
	assert.Equal(t, `"short"`, Clip("short"))
	long := strings.Repeat("é", 1000)
	c := Clip(long)
	assert.LessOrEqual(t, len([]rune(c)), QuoteLimit+20)
	assert.Contains(t, c, "(2000 bytes)")

	m, err := MapHeader([]string{strings.Repeat("z", 5000)}, []Column{{Name: "tn", Required: true}})
	require.Nil(t, m)
	assert.Less(t, len(err.Error()), 300, "the header is not echoed whole")
}

// TestNearMisses: a header one or two edits from a column (or alias) is a
// likely typo; a header far from every column is simply carried along.
func TestNearMisses(t *testing.T) {
	cols := []Column{{Name: "tn", Required: true}, {Name: "location", Aliases: []string{"suite"}}, {Name: "trunk_group", Aliases: []string{"trunk group", "tg"}}, {Name: "tn_note", Aliases: []string{"note"}}}
	tests := []struct {
		header []string
		want   []string // "header->column"
	}{
		{[]string{"tn", "trunk_grup"}, []string{"trunk_grup->trunk_group"}},
		{[]string{"tn", "tn_noet"}, []string{"tn_noet->tn_note"}},
		{[]string{"TN", "Trunk Groups"}, []string{"Trunk Groups->trunk_group"}},
		{[]string{"tn", "tn_notes"}, []string{"tn_notes->tn_note"}},
		{[]string{"tn", "Site", "notes", "Customer", "tg2"}, nil},
		{[]string{"tn", "trunk_group", "tn_note"}, nil},
	}
	for _, tt := range tests {
		m, err := MapHeader(tt.header, cols)
		require.NoError(t, err)
		var got []string
		for _, nm := range m.NearMisses() {
			got = append(got, nm.Header+"->"+nm.Column)
			assert.Contains(t, nm.Error(), "did you mean")
		}
		assert.Equal(t, tt.want, got, "%v", tt.header)
	}
	assert.Equal(t, "tn-order", Suggest("tn-ordr", []string{"tn-note", "tn-order", "e911"}))
	assert.Equal(t, "", Suggest("inventory", []string{"tn-note", "tn-order"}))
}

// TestXLSXLongTextRefusedBeforeDecoding: a cell whose text is longer than
// MaxCell, inline in the sheet or in the shared strings, is refused by a
// streaming scan, naming the cell where the sheet says it.
func TestXLSXLongTextRefusedBeforeDecoding(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xlsx")
	writeXLSX(t, good, []xlsxSheet{{name: "S", cells: []xlsxCell{{ref: "A1", value: "tn"}, {ref: "B1", value: "note"}, {ref: "A2", value: "3125550100"}}}})
	long := strings.Repeat("x", MaxCell+1)
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>tn</t></is></c><c r="B1" t="inlineStr"><is><t>note</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>3125550100</t></is></c><c r="B2" t="inlineStr"><is><t>` + long + `</t></is></c></row></sheetData></worksheet>`
	tests := []struct {
		name, part, data, want string
	}{
		{"inline", "xl/worksheets/sheet1.xml", sheet, "line 2: cell B2 holds more than 64 KiB of text"},
		{"shared", "xl/sharedStrings.xml", `<sst><si><t>tn</t></si><si><t>` + long + `</t></si></sst>`, "shared string 2 holds more than 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zr, err := zip.OpenReader(good)
			require.NoError(t, err)
			defer zr.Close()
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, f := range zr.File {
				if f.Name != tt.part {
					require.NoError(t, zw.Copy(f))
				}
			}
			w, err := zw.Create(tt.part)
			require.NoError(t, err)
			_, err = w.Write([]byte(tt.data))
			require.NoError(t, err)
			require.NoError(t, zw.Close())
			path := filepath.Join(dir, tt.name+".xlsx")
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
			_, err = Open(path, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
