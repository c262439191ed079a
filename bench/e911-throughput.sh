#!/usr/bin/env bash
# E911 throughput: a 2,000-row `iqbulk run e911` against `iqbulk sandbox
# --faults latency=20ms` on a free loopback port, at --rate 100. One number
# per request, so throughput must come from --concurrency: the goal is
# >= 90 requests/s (bounded by --rate, not by the 20 ms latency).
# Set N, RATE, CONCURRENCY, LATENCY to vary it.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-2000}"
RATE="${RATE:-100}"
CONCURRENCY="${CONCURRENCY:-8}"
LATENCY="${LATENCY:-20ms}"
source bench/lib.sh
machine
build_iqbulk
start_sandbox "$work/sandbox" --reset --faults "latency=$LATENCY"

# Put N numbers In Service: order candidates from CRAGMERE 201-335 and
# 201-554 (a few are reserved by another customer and come back excluded).
python3 - "$N" >"$work/order.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("tn")
for blk in ("201335", "201554", "201267"):
    for line in range(100, 10000):
        print(f"{blk}{line:04d}")
        n -= 1
        if n < -int(sys.argv[1]) // 10:
            sys.exit(0)
PY
"$work/iqbulk" run tn-order "$work/order.csv" --out "$work/order" --endpoint "$endpoint" --rate 0 --concurrency 4 >/dev/null 2>&1 || true
python3 - "$work/order/results.csv" "$N" >"$work/e911.csv" <<'PY'
import csv, sys
n = int(sys.argv[2])
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["status"] == "ok"][:n]
if len(rows) < n:
    sys.exit(f"only {len(rows)} numbers ordered")
print("tn,name,street_num,street_info,location,city,state,postal_code")
for i, r in enumerate(rows):
    print(f"{r['tn']},Office Move {i},{100 + i % 800},W Adams St,Floor {1 + i % 40},Chicago,IL,60661")
PY

"$work/iqbulk" run e911 "$work/e911.csv" --out "$work/e911" --endpoint "$endpoint" --rate "$RATE" --concurrency "$CONCURRENCY" >"$work/e911.out" 2>&1 || true
python3 - "$work/e911/summary.json" "$RATE" "$LATENCY" "$CONCURRENCY" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
from datetime import datetime
def t(x): return datetime.fromisoformat(x.replace("Z", "+00:00"))
secs = (t(s["finished"]) - t(s["started"])).total_seconds()
req = s["requests"]
rps = req / secs
print(f"e911: {s['rows']} rows, outcomes {s['outcomes']}, {req} requests in {secs:.1f}s = {rps:.1f} requests/s "
      f"(--rate {sys.argv[2]}, latency {sys.argv[3]}, --concurrency {sys.argv[4]}; goal >= 90: {'ok' if rps >= 90 else 'MISSED'})")
PY
