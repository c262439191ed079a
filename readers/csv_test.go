package readers

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// readResult is what a golden file records about reading one manifest.
type readResult struct {
	Header []string `json:"header,omitempty"`
	Rows   []Row    `json:"rows,omitempty"`
	Error  string   `json:"error,omitempty"`
}

func readFile(path string) readResult {
	r, err := Open(path, Options{})
	if err != nil {
		return readResult{Error: strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")}
	}
	defer r.Close()
	res := readResult{Header: r.Header()}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return res
		}
		if err != nil {
			res.Error = err.Error()
			return res
		}
		res.Rows = append(res.Rows, row)
	}
}

// TestCSVGolden reads every file in testdata/csv and compares header, rows
// and error with testdata/golden/<file>.json (go test -update rewrites them).
func TestCSVGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/csv/*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got, err := json.MarshalIndent(readFile(file), "", "  ")
			require.NoError(t, err)
			golden := filepath.Join("testdata", "golden", filepath.Base(file)+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create the golden file")
			assert.JSONEq(t, string(want), string(got))
		})
	}
}

func TestCSVCases(t *testing.T) {
	tests := []struct {
		file    string
		header  []string
		rows    []Row
		wantErr string // substring of the error after the rows
	}{
		{
			file:   "bom_crlf.csv",
			header: []string{"TN", "Note"},
			rows: []Row{
				{Line: 2, Values: []string{"3125550100", "hello"}},
				{Line: 3, Values: []string{"3125550101", "quoted, with comma"}},
			},
		},
		{
			file:   "semicolon.csv",
			header: []string{"Telephone Number", "Note", "Site"},
			rows: []Row{
				{Line: 2, Values: []string{"+1 (312) 555-0100", "a;b", "CHI"}},
				{Line: 3, Values: []string{"312.555.0101", "café", ""}},
			},
		},
		{
			file:   "tab.tsv",
			header: []string{"tn", "note", "site"},
			rows: []Row{
				{Line: 2, Values: []string{"3125550100", "first", "A"}},
				{Line: 3, Values: []string{"3125550101", "", "B"}},
			},
		},
		{
			file:   "quoted_newline.csv",
			header: []string{"TN", "Note", "Site"},
			rows: []Row{
				{Line: 2, Values: []string{"3125550100", "line one\nline two, with comma", "A"}},
				{Line: 4, Values: []string{"3125550101", `He said "hi"`, "B"}},
				{Line: 5, Values: []string{"3125550102", "plain", "C"}},
			},
		},
		{
			file:   "empty_rows.csv",
			header: []string{"TN", "Note"},
			rows: []Row{
				{Line: 6, Values: []string{"3125550100", "a"}},
				{Line: 9, Values: []string{"3125550101", "b"}},
			},
		},
		{
			file:   "extra_renamed.csv",
			header: []string{"Telephone_Number", "Comment", "Site", "Extra Column"},
			rows: []Row{
				{Line: 2, Values: []string{"3125550100", "hello", "CHI", "x"}},
				{Line: 3, Values: []string{"3125550101", "", "NYC", ""}},
			},
		},
		{
			file:   "bad_quote.csv",
			header: []string{"TN", "Note", "Site"},
			rows: []Row{
				{Line: 2, Values: []string{"3125550100", "ok", "A"}},
				{Line: 3, Values: []string{"3125550101", "ok", "B"}},
				{Line: 4, Values: []string{"3125550102", "ok", "C"}},
				{Line: 5, Values: []string{"3125550103", "ok", "D"}},
				{Line: 6, Values: []string{"3125550104", "ok", "E"}},
			},
			wantErr: "line 7: bare quote in field 3",
		},
		{
			file:   "unterminated_quote.csv",
			header: []string{"TN", "Note"},
			rows:   []Row{{Line: 2, Values: []string{"3125550100", "ok"}}},
			// The quote opened on line 3 swallows the rest of the file.
			wantErr: "line 3: unterminated or misplaced quote in field 2 (the quoted value runs on to line 4)",
		},
		{
			file:    "too_many_cells.csv",
			header:  []string{"TN", "Note"},
			rows:    []Row{{Line: 2, Values: []string{"3125550100", "a"}}},
			wantErr: `line 3: 3 cells but the header has 2 columns (extra value "surprise" in column 3)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := Open(filepath.Join("testdata", "csv", tt.file), Options{})
			require.NoError(t, err)
			defer func() { assert.NoError(t, r.Close()) }()
			assert.Equal(t, tt.header, r.Header())
			var rows []Row
			var readErr error
			for {
				row, err := r.Next()
				if err != nil {
					readErr = err
					break
				}
				rows = append(rows, row)
			}
			assert.Equal(t, tt.rows, rows)
			if tt.wantErr == "" {
				assert.ErrorIs(t, readErr, io.EOF)
				return
			}
			require.Error(t, readErr)
			assert.NotErrorIs(t, readErr, io.EOF)
			assert.Contains(t, readErr.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(readErr.Error(), "line "), "the error names the line: %v", readErr)
			var le *LineError
			assert.ErrorAs(t, readErr, &le)
			_, again := r.Next()
			assert.Equal(t, readErr, again, "a manifest error is sticky")
		})
	}
}

func TestCSVEmpty(t *testing.T) {
	_, err := Open(filepath.Join("testdata", "csv", "empty.csv"), Options{})
	assert.ErrorIs(t, err, ErrNoHeader)
	_, err = NewCSV(strings.NewReader(""))
	assert.ErrorIs(t, err, ErrNoHeader)
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"a,b,c\n", ','},
		{"a;b;c\n", ';'},
		{"a\tb\tc\n", '\t'},
		{"single\n1\n", ','},
		{`"a;b",c` + "\n", ','},
		{`"x,y";"z,w";v` + "\n", ';'},
		{"\n\n;;\nTN;Note\n", ';'},
		{"\r\nTN\tNote, with comma\tSite\r\n", '\t'},
		{"TN;Note", ';'},
	}
	for _, tt := range tests {
		assert.Equal(t, string(tt.want), string(detectDelimiter([]byte(tt.in))), "%q", tt.in)
	}
}

// The reader must not depend on how the input is chunked.
func TestCSVOneByteReads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "csv", "quoted_newline.csv"))
	require.NoError(t, err)
	r, err := NewCSV(iotest.OneByteReader(strings.NewReader(string(data))))
	require.NoError(t, err)
	rows := readAll(t, r)
	require.Len(t, rows, 3)
	assert.Equal(t, 4, rows[1].Line)
	assert.Equal(t, "line one\nline two, with comma", rows[0].Values[1])
}

func TestCSVLongLine(t *testing.T) {
	long := strings.Repeat("x", 60<<10) // longer than the csv package's buffers, within MaxLine
	r, err := NewCSV(strings.NewReader("TN,Note\n3125550100," + long + "\n3125550101,\"bad\"quote\n"))
	require.NoError(t, err)
	row, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, long, row.Values[1])
	_, err = r.Next()
	assert.EqualError(t, err, `line 3: unterminated or misplaced quote in field 2`)
	assert.ErrorIs(t, err, csv.ErrQuote)
}

// TestCSVBounds: no line, row or cell longer than the limits is held; the
// error names the line and the column and quotes no more than QuoteLimit
// characters of the value.
func TestCSVBounds(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"long line", "TN,Note\n3125550100," + strings.Repeat("x", 50<<20) + "\n", "line 2: the line is longer than 64 KiB (in column 2)"},
		{"long header", strings.Repeat("h", 1<<20) + "\n1\n", "header: line 1: the line is longer than 64 KiB (in column 1)"},
		{"long quoted cell over lines", "TN,Note\n3125550100,\"" + strings.Repeat(strings.Repeat("y", 1000)+"\n", 100) + "\"\n", "line 2: column \"Note\": the cell is 100100 bytes, the limit is 64 KiB"},
		{"open quote runs away", "TN,Note\n3125550100,\"" + strings.Repeat(strings.Repeat("y", 1000)+"\n", 2000), "line 2: the row is longer than 1024 KiB (a quote left open?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(tt.data))
			if err == nil {
				_, err = r.Next()
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 300)
		})
	}
}

// TestCSVEncodings: a manifest that is not UTF-8 is refused, naming the
// line and column, unless its encoding is given; UTF-16 with a byte order
// mark is read as such.
func TestCSVEncodings(t *testing.T) {
	cp1252 := "tn,note\n3125550100,caf\xe9 cr\xe8me\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range "tn,note\n3125550100,café\n" {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	dir := t.TempDir()
	tests := []struct {
		name, data, enc, want, wantErr string
	}{
		{"windows-1252 refused", cp1252, "", "", `line 2: column "note" is not valid UTF-8`},
		{"windows-1252 read", cp1252, "windows-1252", "café crème", ""},
		{"latin1 read", cp1252, "latin1", "café crème", ""},
		{"utf-16 bom detected", string(utf16le), "", "café", ""},
		{"utf-16 named", string(utf16le), "utf-16", "café", ""},
		{"utf-8 bom", "\xef\xbb\xbftn,note\n3125550100,café\n", "", "café", ""},
		{"replacement character refused", "tn,note\n3125550100,caf\uFFFD\n", "", "", `line 2: column "note" is not valid UTF-8`},
		{"unknown encoding", cp1252, "ebcdic", "", `--encoding "ebcdic": want one of`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("m%d.csv", i))
			require.NoError(t, os.WriteFile(path, []byte(tt.data), 0o600))
			r, err := Open(path, Options{Encoding: tt.enc})
			var row Row
			if err == nil {
				defer r.Close()
				assert.Equal(t, []string{"tn", "note"}, r.Header())
				row, err = r.Next()
			}
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, row.Values[1])
		})
	}
}

func TestCSVReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	var data strings.Builder
	data.WriteString("TN,Note\n")
	for i := range 10000 { // well past the 64 KiB the reader peeks at
		fmt.Fprintf(&data, "31255%05d,a\n", i)
	}
	data.WriteString("3125")
	r, err := NewCSV(io.MultiReader(strings.NewReader(data.String()), iotest.ErrReader(boom)))
	require.NoError(t, err)
	for i := range 10000 {
		_, err = r.Next()
		require.NoError(t, err, "row %d", i)
	}
	_, err = r.Next()
	assert.ErrorIs(t, err, boom, "an I/O error must not pass for the end of the file")
	// An error while peeking at the header is reported at once.
	_, err = NewCSV(io.MultiReader(strings.NewReader("TN\n"), iotest.ErrReader(boom)))
	assert.ErrorIs(t, err, boom)
}

func TestFormat(t *testing.T) {
	tests := []struct {
		path, want, err string
	}{
		{"a.csv", "csv", ""},
		{"A.CSV", "csv", ""},
		{"a.tsv", "csv", ""},
		{"a.txt", "csv", ""},
		{"dir.x/a.xlsx", "xlsx", ""},
		{"a.xls", "", "save the workbook as .xlsx"},
		{"a.json", "", `unsupported manifest format ".json"`},
		{"manifest", "", "no extension"},
	}
	for _, tt := range tests {
		got, err := Format(tt.path)
		assert.Equal(t, tt.want, got, tt.path)
		if tt.err == "" {
			assert.NoError(t, err, tt.path)
		} else {
			assert.ErrorIs(t, err, ErrUnsupportedFormat, tt.path)
			assert.ErrorContains(t, err, tt.err, tt.path)
		}
	}
	_, err := Open("manifest.ods", Options{})
	assert.ErrorIs(t, err, ErrUnsupportedFormat)
	_, err = Open(filepath.Join(t.TempDir(), "missing.csv"), Options{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}
