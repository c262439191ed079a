#!/usr/bin/env bash
# Peak memory (RSS, from /usr/bin/time -v) of the iqbulk process alone:
#   1. a dry run of a ROWS-row (default 1,000,000) XLSX tn-note manifest
#      (read, validate, plan into the checkpoint, write results.xlsx and
#      failed.xlsx), against `iqbulk sandbox` in another process;
#   2. an export of the sandbox's 1,000,000 inventory numbers to XLSX
#      (bench/export.sh, which also prints the CSV case).
# Goal: under 150 MB each.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS="${ROWS:-1000000}"
machine
build_iqbulk

go run ./bench/genmanifest -rows "$ROWS" -o "$work/manifest.xlsx"
echo "manifest: $ROWS rows, $(($(stat -c %s "$work/manifest.xlsx") / 1000000)) MB xlsx"
start_sandbox "$work/sandbox" --reset
code=0
/usr/bin/time -v "$iqbulk" run tn-note "$work/manifest.xlsx" --dry-run --out "$work/dry" --endpoint "$endpoint" \
	>"$work/dry.out" 2>"$work/dry.time" || code=$?
stop_sandbox
if [[ $code -ne 0 && $code -ne 1 ]]; then
	tail -5 "$work/dry.time"
	echo "verdict: FAILED (dry run exited $code)"
	exit 1
fi
dry=$(python3 - "$work/dry.time" "$work/dry/summary.json" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
s = json.load(open(sys.argv[2]))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", t).group(1).strip()
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
print(f"{rss:.0f} {secs:.1f} {s['rows']} {' '.join(f'{k}={v}' for k, v in s['outcomes'].items() if v)}")
PY
)
read -r dry_rss dry_secs dry_rows dry_outcomes <<<"$dry"
v1=ok
((dry_rss < 150)) || v1=MISSED
echo "dry run: $dry_rows rows ($dry_outcomes) in $dry_secs s; peak RSS $dry_rss MB (goal < 150: $v1)"

exp=$(bash bench/export.sh 2>&1 | grep -E '^ *(csv|xlsx):' || true)
echo "$exp"
xrss=$(echo "$exp" | awk '/xlsx:/ {for (i=1;i<=NF;i++) if ($i=="RSS") print $(i+1)}')
v2=ok
if [[ -z "$xrss" ]]; then
	echo "verdict: FAILED (the export benchmark printed no XLSX figure)"
	exit 1
fi
((xrss < 150)) || v2=MISSED
if [[ $v1 == ok && $v2 == ok ]]; then
	echo "verdict: ok: dry run $dry_rss MB, XLSX export $xrss MB (both < 150 MB)"
else
	echo "verdict: MISSED: dry run $dry_rss MB ($v1), XLSX export $xrss MB ($v2); goal < 150 MB"
fi
