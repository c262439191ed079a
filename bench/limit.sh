#!/usr/bin/env bash
# Against the limit: how close does iqbulk come to the physical limit that a
# rate-limited API sets? (The sandbox's audit.jsonl gives the arrival time of
# every request, so the rate is measured while sending, and the wall time is
# split into planning, sending and writing the results.) For a chunked job (tn-note, 100 numbers per
# tnNoteUpdate) and a per-number job (e911, one tnE911 per number), against
# `iqbulk sandbox --rate R --faults latency=10ms` with `iqbulk run --rate R`,
# for R = 20 and 200. Prints, per case:
#   achieved requests/s ÷ R                      (goal >= 0.97)
#   wall time ÷ physical limit, where the limit  (goal <= 1.05)
#     is rows ÷ (R × numbers per request)
#   first request, seconds after the process     (goal <= 1.0)
#     started (the sandbox's arrival time)
#   peak RSS of the iqbulk process               (goal < 150 MB)
#     (/usr/bin/time -v, when installed)
# Wall time is the whole `iqbulk run` process, from exec to exit (start-up,
# manifest reading, planning, results). Each case sends about SECS seconds'
# worth of requests (default 30; tn-note at R=200 defaults to 15 s = 300,000
# rows, which first have to be ordered). RATES="20 200" and CONCURRENCY=8
# can be changed. Exits non-zero only when a run fails; a missed goal prints
# MISSED with the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECS="${SECS:-30}"
SECS_NOTE_200="${SECS_NOTE_200:-15}"
RATES="${RATES:-20 200}"
CONCURRENCY="${CONCURRENCY:-8}"
machine
build_iqbulk

# How many rows each case needs, and so how many In Service numbers.
rows_for() { # job rate
	local per=1 secs="$SECS"
	[[ "$1" == tn-note ]] && per=100
	[[ "$1" == tn-note && "$2" -ge 200 ]] && secs="$SECS_NOTE_200"
	echo $(($2 * per * secs))
}
need=0
for r in $RATES; do
	for j in tn-note e911; do
		n=$(rows_for "$j" "$r")
		((n > need)) && need=$n
	done
done

state="$work/sandbox"
start_sandbox "$state" --reset
t0=$(date +%s.%N)
in_service "$need" "$work/tns.txt"
printf 'setup: %d numbers ordered (tn-order) in %.0f s\n' "$need" "$(python3 -c "import time; print(time.time() - $t0)")"

fail=0
verdicts=()
for r in $RATES; do
	start_sandbox "$state" --rate "$r" --faults latency=10ms
	for j in tn-note e911; do
		n=$(rows_for "$j" "$r")
		m="$work/$j-$r.csv"
		if [[ $j == tn-note ]]; then
			{ echo tn,note; head -n "$n" "$work/tns.txt" | sed "s/\$/,limit run R=$r/"; } >"$m"
			per=100
		else
			{
				echo tn,name,street_num,street_info,location,city,state,postal_code
				head -n "$n" "$work/tns.txt" | awk -v r="$r" '{printf "%s,Limit Run %d,%d,W Adams St,Floor %d,Chicago,IL,60661\n", $1, r, 1 + NR % 1999, 1 + NR % 40}'
			} >"$m"
			per=1
		fi
		out="$work/$j-$r"
		seen=$(wc -l <"$state/audit.jsonl")
		t0=$(date +%s.%N)
		code=0
		# /usr/bin/time -v: the iqbulk process's peak RSS (goal < 150 MB)
		timev=()
		[[ -x /usr/bin/time ]] && timev=(/usr/bin/time -v -o "$out.time")
		"${timev[@]}" "$iqbulk" run "$j" "$m" --out "$out" --endpoint "$endpoint" --rate "$r" --concurrency "$CONCURRENCY" >"$out.stdout" 2>"$out.stderr" || code=$?
		t1=$(date +%s.%N)
		if [[ $code -ne 0 || ! -f "$out/summary.json" ]]; then
			echo "$j R=$r: iqbulk exited $code" >&2
			tail -5 "$out.stderr" >&2
			fail=1
			continue
		fi
		line=$(python3 - "$out/summary.json" "$r" "$per" "$t0" "$t1" "$j" "$state/audit.jsonl" "$seen" "$out/run.log" "$out.time" <<'PY'
import json, os, re, sys
from datetime import datetime
s = json.load(open(sys.argv[1]))
r, per, t0, t1, job = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
t = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00").replace("z", "+00:00"))
run = (t(s["finished"]) - t(s["started"])).total_seconds()
wall = t1 - t0
rows, req, ok = s["rows"], s["requests"], s["outcomes"]["ok"]
limit = rows / (r * per)
# requests as the sandbox saw them arrive (audit.jsonl): the sending window
# from the first to the last request of this run
with open(sys.argv[7]) as f:
    times = [t(json.loads(l)["time"]) for i, l in enumerate(f) if i >= int(sys.argv[8]) and l.strip()]
window = (times[-1] - times[0]).total_seconds()
rps = (len(times) - 1) / window
planned = None
for l in open(sys.argv[9]):
    e = json.loads(l)
    if e.get("msg") == "planned":
        planned = (t(e["time"]) - t(s["started"])).total_seconds()
        break
after = (t(s["finished"]) - times[-1]).total_seconds()
# the first request's arrival after the process started (plan and send
# overlap: goal <= 1.0 s whatever the manifest's size)
first = times[0].timestamp() - t0
vf = "ok" if first <= 1.0 else "MISSED"
rss = ""
if os.path.exists(sys.argv[10]):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[10]).read())
    if m:
        mb = int(m.group(1)) / 1024
        rss = f"; peak RSS {mb:.0f} MB ({'ok' if mb < 150 else 'MISSED'})"
a, b = rps / r, wall / limit
va = "ok" if a >= 0.97 else "MISSED"
vb = "ok" if b <= 1.05 else "MISSED"
ph = f"planning {planned:.2f} s, " if planned is not None else ""
print(f"{job:8} R={r:<4.0f} rows {rows} (ok {ok}), requests {req} (retries {s['retries']}, throttled {s['throttled']}); "
      f"wall {wall:.2f} s = {ph}sending {window:.2f} s, results {after:.2f} s; limit {limit:.2f} s; "
      f"requests/s while sending ÷ R = {rps:.2f}/{r:.0f} = {a:.3f} ({va}), whole run {req / wall:.2f}/{r:.0f} = {req / wall / r:.3f}; "
      f"wall ÷ limit = {b:.3f} ({vb}); first request {first:.2f} s after start ({vf}){rss}")
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
done
stop_sandbox
if ((fail)); then
	echo "verdict: FAILED (a run did not finish with every row ok)"
	exit 1
fi
if printf '%s\n' "${verdicts[@]}" | grep -q MISSED; then
	echo "verdict: MISSED (see the figures above)"
else
	echo "verdict: ok: every case within 3% of R and 5% of the physical limit"
fi
