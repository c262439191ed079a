#!/usr/bin/env bash
# Where the CPU goes at a rate limit: one tn-note run against
# `iqbulk sandbox --rate R --faults latency=10ms`, as bench/limit.sh runs it,
# with a CPU profile of each process (IQBULK_CPUPROFILE), the CPU each used
# and iqbulk's peak RSS. It reuses the numbers a kept limit.sh work
# directory put in service, so the setup (minutes for 1,000,000 numbers) is
# paid once:
#
#   KEEP=1 CASES="tn-note:1000:1000000" bash bench/limit.sh   # prints: kept DIR
#   bash bench/profile-limit.sh DIR [ROWS [R]]                # default 300000 1000
#   go tool pprof -top -cum OUT/iqbulk OUT/iqbulk.prof         # OUT is printed
#
# Extra iqbulk flags go in IQBULK_FLAGS (e.g. "--no-snapshot").
set -euo pipefail
cd "$(dirname "$0")/.."
kept="${1:?usage: bench/profile-limit.sh KEPT_LIMIT_WORK_DIR [ROWS [RATE]]}"
rows="${2:-300000}"
rate="${3:-1000}"
[[ -d "$kept/sandbox" && -f "$kept/tns.txt" ]] || { echo "$kept is not a kept bench/limit.sh work directory" >&2; exit 2; }
(($(wc -l <"$kept/tns.txt") >= rows)) || { echo "$kept has fewer than $rows numbers in service" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }
source bench/lib.sh
machine
build_iqbulk
out="$work/profile"
mkdir -p "$out"
cp "$iqbulk" "$out/iqbulk"
IQBULK_CPUPROFILE="$out/sandbox.prof" start_sandbox "$kept/sandbox" --rate "$rate" --faults latency=10ms --world-size 2000000
{ echo tn,note; head -n "$rows" "$kept/tns.txt" | sed "s/\$/,profile $(date +%s)/"; } >"$out/m.csv"
sb0=$(awk '{print $14 + $15}' "/proc/$sbpid/stat")
# shellcheck disable=SC2086
IQBULK_CPUPROFILE="$out/iqbulk.prof" /usr/bin/time -v -o "$out/iqbulk.time" \
	"$iqbulk" run tn-note "$out/m.csv" --out "$out/run" --endpoint "$endpoint" --rate "$rate" ${IQBULK_FLAGS:-} >"$out/stdout" 2>"$out/stderr"
sb1=$(awk '{print $14 + $15}' "/proc/$sbpid/stat")
stop_sandbox
python3 - "$out" "$rows" "$rate" "$sb0" "$sb1" "$(getconf CLK_TCK)" <<'PY'
import json, re, sys
from datetime import datetime, timedelta
out, rows, rate, sb0, sb1, tck = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
t = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00"))
starts = []
for l in open(f"{out}/run/run.log"):
    e = json.loads(l)
    if e.get("msg") == "api request" and e.get("op") != "token":
        starts.append(t(e["time"]) - timedelta(milliseconds=e["ms"]))
starts.sort()
window = (starts[-1] - starts[0]).total_seconds()
tm = open(f"{out}/iqbulk.time").read()
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", tm)[1]) + float(re.search(r"System time \(seconds\): ([\d.]+)", tm)[1])
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tm)[1]) / 1024
sb = (sb1 - sb0) / tck
print(f"tn-note R={rate:.0f} rows {rows}: {len(starts)} requests in {window:.2f} s = {(len(starts) - 1) / window:.1f}/s "
      f"({(len(starts) - 1) / window / rate:.3f} R); CPU per row: iqbulk {cpu / rows * 1e6:.1f} µs, sandbox {sb / rows * 1e6:.1f} µs "
      f"(its start-up replay not counted); iqbulk peak RSS {rss:.0f} MB")
PY
echo "profiles: $out/iqbulk.prof $out/sandbox.prof (binary $out/iqbulk)"
KEEP=1
