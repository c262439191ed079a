#!/usr/bin/env bash
# Manifest reading and result writing at 1,000,000 rows: rows/s (from the Go
# benchmarks) and peak RSS of the benchmark process (from /usr/bin/time -v,
# the test binary alone, not the compiler). Goal: flat memory, under 150 MB
# for the XLSX cases. ReadXLSX1M runs the sheet reader and the excelize row
# iterator it replaced on the same file in one process and prints their
# ratio; ReadXLSXShared1M reads a workbook whose texts are shared strings.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/readers.test" ./readers/
go test -c -o "$tmp/writers.test" ./writers/
run() { # binary dir bench
  local out
  out=$( cd "$2" && /usr/bin/time -v "$1" -test.run '^$' -test.bench "^Benchmark$3\$" -test.benchtime 1x 2>&1 )
  local rss
  rss=$(echo "$out" | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); printf "%.0f", $2/1024}')
  echo "$out" | grep -E "^Benchmark$3" | while read -r name _ rest; do
    printf '%-36s %s  peak RSS %s MB (process)\n' "${name#Benchmark}" "$(echo "_ $rest" | awk '{for(i=2;i<=NF;i+=2) printf "%s %s  ", $i, $(i+1)}')" "$rss"
  done
  if [[ $3 == ReadXLSX1M ]]; then
    echo "$out" | awk '/^BenchmarkReadXLSX1M\/sheet-reader/ {for(i=1;i<=NF;i++) if ($(i+1)=="rows/s") a=$i} /^BenchmarkReadXLSX1M\/excelize-rows/ {for(i=1;i<=NF;i++) if ($(i+1)=="rows/s") b=$i} END {if (a && b) printf "ReadXLSX1M sheet reader ÷ excelize rows: %.1f× the rows/s (same file, same run)\n", a/b}'
  fi
}
run "$tmp/readers.test" readers ReadCSV1M
run "$tmp/readers.test" readers ReadXLSX1M
run "$tmp/readers.test" readers ReadXLSXShared1M
run "$tmp/writers.test" writers WriteCSV1M
run "$tmp/writers.test" writers WriteJSONL1M
run "$tmp/writers.test" writers WriteXLSX1M
