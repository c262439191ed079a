// Package writers writes what a run or an export produces: the results file
// (one row per manifest row, its original columns plus the outcome columns of
// [ResultColumns]), the excluded report ([ExcludedColumns]), export files and
// summary.json ([WriteSummary]).
//
// Every table writer streams: a header once, then rows, in bounded memory,
// whatever the number of rows. Three formats are supported ([Format]):
//
//   - CSV ([NewCSV]): encoding/csv, "," separator, LF line endings (Excel,
//     LibreOffice and every CSV parser accept LF; CRLF would only add noise to
//     diffs and golden files), UTF-8 with a byte order mark by default,
//     because without a BOM Excel reads UTF-8 as the local code page and
//     mangles accented names and addresses ([WithoutBOM] turns it off for
//     machine consumers). A reader of these files must strip the BOM.
//   - XLSX ([NewXLSX]): excelize's StreamWriter; every cell is an inline
//     string with the text number format "@", so 3125550100 stays
//     3125550100 and is never shown as 3.13E+09, and leading zeros survive;
//     the header row is bold and frozen, an autofilter covers the table, and
//     column widths come from the header and the first rows (capped). A
//     worksheet holds at most 1,048,576 rows: when a table outgrows it, the
//     rows continue on a new sheet ("results_2", "results_3", ...) that
//     repeats the header. Excel keeps at most 32,767 characters per cell;
//     longer values are truncated by excelize.
//   - JSONL ([NewJSONL]): one JSON object per row, keys in header order,
//     every value a string.
//
// # Formula injection
//
// A CSV or XLSX cell that begins with '=', '+', '-', '@', a tab or a carriage
// return could be run as a formula by a spreadsheet (OWASP "CSV injection").
// [Neutralize] prefixes such cells with a single quote, as OWASP advises.
// This also prefixes harmless values that merely look like formulas: an
// E.164 number "+13125550100" is written as "'+13125550100" and a negative
// amount "-5" as "'-5". That is accepted: the value stays readable and is
// never evaluated. A value that already begins with quotes followed by one of
// those characters gets one more quote, so [Unneutralize] restores every
// value exactly; a reader that takes a results or failed-rows file back in as
// a manifest should call [Unneutralize] on each cell.
//
// JSONL values are written as they are, without the quote: JSON lines are
// read by programs, not spreadsheets, and a consumer must see the API's
// values unchanged.
//
// # Files
//
// [Create] writes path+".tmp" with mode 0600 and renames it over path only
// when Close succeeds, so a crash never leaves a half-written file where a
// complete one was. A Table returned by Create also implements [Aborter] to
// discard the file instead. [WriteSummary] writes summary.json the same way.
package writers
