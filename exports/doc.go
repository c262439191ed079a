// Package exports streams the API's listings into files: `iqbulk export
// KIND [filters] -o FILE`. Each kind (inventory, assigned, assigned-basic,
// reserved, orders, mdr, e911-calls, features, campaigns, port-ins) is registered by
// name with its filters (flags named after the guide's parameters in kebab
// case: tnMask → --tn-mask), its columns and a page source that walks the
// operation (searchId scroll, page/size, daily windows, or one answer).
//
// DESIGN.md's package table puts export kinds under jobs/ and their running
// under pipeline/. They live here instead, on purpose: a bulk job turns
// manifest rows into requests (rows → requests, batched, exactly once), an
// export turns pages into a file (pages → rows, read-only, resumable by
// cursor). The two share the client, the writers and the checkpoint store,
// and nothing else.
//
// How an export survives failures:
//
//   - Rows go to FILE.partial. For CSV and JSONL it holds the final bytes;
//     after every page is written and fsynced, the cursor (the kind's page
//     state, the byte offset, rows and pages so far) is committed to the
//     checkpoint FILE.state.db. --resume truncates FILE.partial to the last
//     committed offset and continues from that cursor, so the finished file
//     is byte-identical to an uninterrupted export. XLSX cannot be appended
//     to: its FILE.partial is a JSON-lines spool of the rows, resumed the
//     same way, and the workbook is streamed from it at the end.
//   - The finished file is renamed into place only when the last page is in;
//     FILE is never a partial export.
//   - inventory walks tnInventory with the searchId scroll at size 10,000
//     sorted by tn ascending. When a searchId expires or is refused (body
//     410, or any error on a continuation), the scroll restarts at the page
//     where the last written number sits and every number up to the last
//     written one is skipped: no duplicates, no gaps.
//   - --since last (date-ranged kinds: mdr, e911-calls) starts where the
//     bookmark FILE.bookmark.json says the previous export ended and
//     advances it only after the file is complete, so nightly exports have
//     no gaps and no overlap. Windows are [start, end) in UTC; the API is
//     sent the inclusive endDate end-1ms (mdr) or end-1s (e911-calls).
//   - A 430 "no results" answer is an empty listing: the file gets its
//     header and the export succeeds.
//   - FILE.summary.json records rows, pages, requests, retries, restarts
//     and the duration.
package exports
