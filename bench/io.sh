#!/usr/bin/env bash
# Manifest reading and result writing at 1,000,000 rows: rows/s (from the Go
# benchmarks) and peak RSS of the benchmark process (from /usr/bin/time -v,
# the test binary alone, not the compiler). Goal: flat memory, under 150 MB
# for the XLSX cases.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/readers.test" ./readers/
go test -c -o "$tmp/writers.test" ./writers/
run() { # binary dir bench
  local out
  out=$( cd "$2" && /usr/bin/time -v "$1" -test.run '^$' -test.bench "^Benchmark$3\$" -test.benchtime 1x 2>&1 )
  local line rss
  line=$(echo "$out" | grep -E "^Benchmark$3" | head -1)
  rss=$(echo "$out" | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); printf "%.0f", $2/1024}')
  printf '%-22s %s  peak RSS %s MB\n' "$3" "$(echo "$line" | awk '{for(i=3;i<=NF;i+=2) printf "%s %s  ", $i, $(i+1)}')" "$rss"
}
run "$tmp/readers.test" readers ReadCSV1M
run "$tmp/readers.test" readers ReadXLSX1M
run "$tmp/writers.test" writers WriteCSV1M
run "$tmp/writers.test" writers WriteJSONL1M
run "$tmp/writers.test" writers WriteXLSX1M
