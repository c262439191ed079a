#!/usr/bin/env bash
# Against the limit: how close does iqbulk come to the physical limit that a
# rate-limited API sets? For a chunked job (tn-note, 100 numbers per
# tnNoteUpdate) and a per-number job (e911, one tnE911 per number), against
# `iqbulk sandbox --rate R --faults latency=10ms` with `iqbulk run --rate R`.
# Cases (CASES="job:R:rows ..."), by default the three of issue 16:
#   tn-note  R=200   200,000 rows
#   e911     R=200     6,000 rows (SECS=30 seconds' worth)
#   tn-note  R=1000 1,000,000 rows
# Each job reads what it is about to change first (the undo snapshot: one
# tnDetail per batch), so every batch costs two requests; the physical limit
# is therefore the requests the job has to send (every request of run.log
# but the token, minus retries) ÷ R. NO_SNAPSHOT=1 passes --no-snapshot
# (one request per batch). Prints, per case:
#   first request      seconds from exec to the first API request  (goal <= 1.0)
#   wall               the whole `iqbulk run` process, exec to exit
#   limit              requests needed ÷ R
#   wall ÷ limit                                  (goal <= 1.05; at R >= 1000 <= 1.10)
#   requests/s while sending ÷ R, from the start  (goal >= 0.98)
#     times of the requests in run.log (first to last)
#   peak RSS of iqbulk (/usr/bin/time -v)
# and, from the sandbox's audit.jsonl, the state-changing requests it saw.
# Short version: SCALE=0.1 (a tenth of the rows of every case), or SECS=10
# for e911. CONCURRENCY (default: iqbulk's own, a tenth of R, 4 to 64) and
# LATENCY (default 10ms) can be changed; KEEP=1 keeps the work directory.
# Setup orders the numbers first (tn-order, rate 0): about 1.1× the largest
# case, from a sandbox world of 2,000,000 numbers. Exits non-zero only when
# a run fails; a missed goal prints MISSED with the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECS="${SECS:-30}"
SCALE="${SCALE:-1}"
LATENCY="${LATENCY:-10ms}"
CASES="${CASES:-tn-note:200:200000 e911:200:$((200 * SECS)) tn-note:1000:1000000}"
machine
build_iqbulk
[[ -x /usr/bin/time ]] || { echo "limit.sh needs /usr/bin/time (GNU time) for the peak RSS" >&2; exit 2; }

scaled() { python3 -c "import math; print(max(100, math.ceil($1 * $SCALE)))"; }
need=0
for c in $CASES; do
	IFS=: read -r _ _ n <<<"$c"
	n=$(scaled "$n")
	((n > need)) && need=$n
done

state="$work/sandbox"
start_sandbox "$state" --reset --world-size 2000000
t0=$(date +%s.%N)
in_service "$need" "$work/tns.txt"
printf 'setup: %d numbers ordered (tn-order) in %.0f s\n' "$need" "$(python3 -c "import time; print(time.time() - $t0)")"

fail=0
verdicts=()
idx=0
for c in $CASES; do
	idx=$((idx + 1))
	IFS=: read -r j r n <<<"$c"
	n=$(scaled "$n")
	start_sandbox "$state" --rate "$r" --faults "latency=$LATENCY" --world-size 2000000
	conc=()
	[[ -n "${CONCURRENCY:-}" ]] && conc=(--concurrency "$CONCURRENCY")
	m="$work/$j-$r-$idx.csv"
	if [[ $j == tn-note ]]; then
		{ echo tn,note; head -n "$n" "$work/tns.txt" | sed "s/\$/,limit run R=$r/"; } >"$m"
	else
		{
			echo tn,name,street_num,street_info,location,city,state,postal_code
			head -n "$n" "$work/tns.txt" | awk -v r="$r" '{printf "%s,Limit Run %d,%d,W Adams St,Floor %d,Chicago,IL,60661\n", $1, r, 1 + NR % 1999, 1 + NR % 40}'
		} >"$m"
	fi
	snap=()
	[[ -n "${NO_SNAPSHOT:-}" ]] && snap=(--no-snapshot)
	out="$work/$j-$r-$idx" # a case may be repeated: one run directory each
	seen=$(wc -l <"$state/audit.jsonl")
	t0=$(date +%s.%N)
	code=0
	/usr/bin/time -v -o "$out.time" "$iqbulk" run "$j" "$m" --out "$out" --endpoint "$endpoint" --rate "$r" "${conc[@]}" "${snap[@]}" >"$out.stdout" 2>"$out.stderr" || code=$?
	t1=$(date +%s.%N)
	if [[ $code -ne 0 || ! -f "$out/summary.json" ]]; then
		echo "$j R=$r: iqbulk exited $code" >&2
		tail -5 "$out.stderr" >&2
		fail=1
		continue
	fi
	line=$(python3 - "$out/summary.json" "$r" "$t0" "$t1" "$j" "$state/audit.jsonl" "$seen" "$out/run.log" "$out.time" <<'PY'
import json, re, sys
from datetime import datetime, timedelta
summary, r, t0, t1, job, audit, seen, runlog, timef = sys.argv[1:]
s = json.load(open(summary))
r, t0, t1 = float(r), float(t0), float(t1)
t = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00").replace("z", "+00:00"))
wall = t1 - t0
rows, ok = s["rows"], s["outcomes"]["ok"]
# every API request of the run, by its start (the log line is written at
# its end, with its duration in ms); the token request does not count
starts, ops, planned = [], {}, None
for l in open(runlog):
    e = json.loads(l)
    if e.get("msg") == "settings":
        conc = e["settings"]["concurrency"]
    if e.get("msg") == "planned" and planned is None:
        planned = t(e["time"]).timestamp() - t0
    if e.get("msg") != "api request" or e.get("op") == "token":
        continue
    starts.append(t(e["time"]) - timedelta(milliseconds=e["ms"]))
    ops[e["op"]] = ops.get(e["op"], 0) + 1
starts.sort()
needed = len(starts) - s["retries"]
limit = needed / r
window = (starts[-1] - starts[0]).total_seconds()
rps = (len(starts) - 1) / window if window > 0 else float("nan")
first = starts[0].timestamp() - t0
# the sandbox's view: state-changing requests as they arrived
with open(audit) as f:
    arrived = [t(json.loads(l)["time"]) for i, l in enumerate(f) if i >= int(seen) and l.strip()]
aw = (arrived[-1] - arrived[0]).total_seconds() if len(arrived) > 1 else 0
rss = None
for l in open(timef):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", l)
    if m:
        rss = int(m.group(1)) / 1024
a, b = rps / r, wall / limit
goal_b = 1.10 if r >= 1000 else 1.05
va = "ok" if a >= 0.98 else "MISSED"
vb = "ok" if b <= goal_b else "MISSED"
vf = "ok" if first <= 1.0 else "MISSED"
after = t1 - starts[-1].timestamp()
ph = f"planned at {planned:.2f} s, " if planned is not None else ""
print(f"{job:8} R={r:<4.0f} rows {rows} (ok {ok}), requests {' + '.join(f'{v} {k}' for k, v in sorted(ops.items()))} (retries {s['retries']}, throttled {s['throttled']}), concurrency {conc}; "
      f"first request {first:.2f} s ({vf}); wall {wall:.2f} s = {ph}sending {window:.2f} s, last request to exit {after:.2f} s; "
      f"limit {needed}/{r:.0f} = {limit:.2f} s; wall ÷ limit = {b:.3f} ({vb}, goal <= {goal_b:.2f}); "
      f"requests/s while sending ÷ R = {rps:.2f}/{r:.0f} = {a:.3f} ({va}); "
      f"sandbox saw {len(arrived)} state-changing requests in {aw:.2f} s; peak RSS {rss:.0f} MB")
PY
)
	echo "$line"
	verdicts+=("$line")
	ok=$(summary_field "$out" outcomes)
	if [[ "$ok" != "ok=$n" ]]; then
		echo "  outcomes not all ok: $ok" >&2
		fail=1
	fi
done
stop_sandbox
if ((fail)); then
	echo "verdict: FAILED (a run did not finish with every row ok)"
	exit 1
fi
if printf '%s\n' "${verdicts[@]}" | grep -q MISSED; then
	echo "verdict: MISSED (see the figures above)"
else
	echo "verdict: ok: every case started within 1 s, sent at >= 0.98 R and ended within 5% (10% at R >= 1000) of the physical limit"
fi
