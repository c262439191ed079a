#!/usr/bin/env bash
# Export benchmark: 1,000,000 inventory numbers (the sandbox's whole seeded
# world) to CSV and to XLSX through `iqbulk export inventory`, against
# `iqbulk sandbox` on a free loopback port. Prints rows/s, the requests made
# (which must equal ceil(N/10000) without a scroll restart; a restart adds
# the refused continuation and a new scroll read from page 1 up to the page
# after the last written number, since page/size may not reach past the
# first 10,000 results) and peak RSS (goal: < 150 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
machine
build_iqbulk
start_sandbox "$work/sandbox" --reset
for fmt in csv xlsx; do
	out="$work/inventory.$fmt"
	/usr/bin/time -v "$work/iqbulk" export inventory --endpoint "$endpoint" \
		--rate 0 --quiet -o "$out" >"$work/$fmt.out" 2>"$work/$fmt.time"
	python3 - "$out.summary.json" "$work/$fmt.time" "$fmt" "$(stat -c %s "$out")" <<'PY'
import json, math, re, sys
s = json.load(open(sys.argv[1]))
t = open(sys.argv[2]).read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", t).group(1).strip()
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rows, req, restarts = s["rows"], s["requests"], s["extra"]["restarts"]
want = math.ceil(rows / 10000)
ok = req == want if restarts == 0 else req > want + restarts
print(f"{sys.argv[3]:>4}: {rows} rows in {secs:.1f}s = {rows/secs:,.0f} rows/s; requests {req} "
      f"(ceil(N/10000) = {want}, plus restarts' re-reads: {'ok' if ok else 'MISMATCH'}); "
      f"restarts {restarts}; peak RSS {rss_kb/1024:.0f} MB; file {int(sys.argv[4])/1e6:.0f} MB")
PY
done
