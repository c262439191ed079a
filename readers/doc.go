// Package readers turns manifest files (CSV and XLSX) into a stream of rows,
// maps their headers onto the columns a job declares, normalises telephone
// numbers, and offers the validation helpers jobs run over every row.
//
// Spreadsheets mangle phone numbers: Excel shows 3125550100 as 3.13E+09,
// drops leading zeros, stores numbers as floats and reformats dates. The
// readers never let a mangled number through silently:
//
//   - CSV: the delimiter (',' ';' or tab) is detected from the header line, a
//     UTF-8 byte order mark is dropped, CRLF and quoted fields with embedded
//     newlines are handled, and a malformed quote stops the read with an
//     error naming the line and field ("line 7: bare quote in field 3").
//   - XLSX: the worksheet part is streamed once by the sheet reader
//     (xlsxsheet.go, a small tokenizer of its own, 4–5× faster than
//     excelize's Rows iterator, which still reads workbooks whose structure
//     the sheet reader does not follow); memory is bounded by one row and
//     the shared-string table. Numeric cells come out as the full number
//     text whatever number format the cell shows (3125550100, never
//     3.13E+09) and cells with a date format come out as ISO dates
//     (YYYY-MM-DD), exactly as the excelize path gives them (tested cell by
//     cell).
//   - [NormalizeTN] accepts the usual human spellings (+1 (312) 555-0100,
//     312.555.0100, 3125550100.0) and explains exactly what is wrong with
//     anything else, including scientific notation that already lost digits.
//
// Every reader returns rows aligned to its header, with the line (CSV) or
// sheet row (XLSX) each came from, so results can point at the exact place
// in the user's file. [MapHeader] matches header cells to a job's columns
// case-, space-, underscore- and dash-insensitively and keeps unknown
// columns so they pass through to the results. [Collector] runs a list of
// [Rule]s over a row and gathers every [FieldError], not just the first.
package readers
