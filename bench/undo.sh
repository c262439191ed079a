#!/usr/bin/env bash
# The snapshot's cost (issue 20): rows/s of the same tn-note and
# tn-trunk-group runs (sending; the trunk-group orders are not followed) with snapshots (the default: one tnDetail read per
# batch of 100 before it is sent) and with --no-snapshot, at the same
# --rate, against `iqbulk sandbox` on loopback; then the cost of
# `iqbulk undo` (the --check read pass and writing the manifest), one read
# at a time and at the run's concurrency.
# ROWS (default 20000) and RATE (default 20 requests/s) can be changed.
# With snapshots a 100-number batch takes two requests instead of one, so
# at a rate limit the expected ratio is about 0.5; the figures say how
# close the engine comes to it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS="${ROWS:-20000}"
RATE="${RATE:-20}"
machine
build_iqbulk
start_sandbox "$work/sandbox" --reset --rate 0
in_service "$ROWS" "$work/tns.txt"

note_manifest() { # tag
	{ echo "tn,note"; awk -v tag="$1" '{print $1 "," tag "-" NR}' "$work/tns.txt"; } >"$work/note-$1.csv"
}
tg_manifest() { # trunk group
	{ echo "tn,trunk_group"; awk -v tg="$1" '{print $1 "," tg}' "$work/tns.txt"; } >"$work/tg-$1.csv"
}

printf '%-16s %-12s %8s %8s %10s %9s\n' job snapshot rows secs rows/s requests
run_case() { # job manifest tag [flags...]
	local job="$1" manifest="$2" tag="$3"
	shift 3
	local out="$work/run-$job-$tag"
	local code=0
	"$iqbulk" run "$job" "$manifest" --out "$out" --endpoint "$endpoint" --rate "$RATE" --concurrency 4 "$@" >/dev/null 2>&1 || code=$?
	if ((code > 1)); then # 1: trunk-group rows stay pending (orders not followed)
		echo "run $job $tag failed ($code):" >&2
		tail -5 "$out/run.log" >&2
		return 1
	fi
	local secs reqs
	secs=$(summary_field "$out" secs)
	reqs=$(summary_field "$out" requests)
	printf '%-16s %-12s %8d %8.2f %10.0f %9d\n' "$job" "$tag" "$ROWS" "$secs" "$(python3 -c "print($ROWS/$secs)")" "$reqs"
	echo "$secs" >"$work/secs-$job-$tag"
}

note_manifest a
note_manifest b
run_case tn-note "$work/note-a.csv" no-snapshot --no-snapshot
run_case tn-note "$work/note-b.csv" snapshot
tg_manifest TG_DALLAS_01
tg_manifest TG_CHICAGO_02
run_case tn-trunk-group "$work/tg-TG_DALLAS_01.csv" no-snapshot --no-snapshot
run_case tn-trunk-group "$work/tg-TG_CHICAGO_02.csv" snapshot

for job in tn-note tn-trunk-group; do
	python3 -c "import sys; a=float(open('$work/secs-$job-no-snapshot').read()); b=float(open('$work/secs-$job-snapshot').read()); print(f'$job: rows/s with snapshots / without = {a/b:.2f} (expected about 0.5 at a rate limit: two requests per batch instead of one)')"
done

# undo --check: one tnDetail read per 100 rows, at the run's concurrency
# (4) and at --concurrency 1 (one read at a time, as before), same --rate.
undo_case() { # tag out [flags...]
	local tag="$1" out="$2"
	shift 2
	local start end
	start=$(date +%s.%N)
	"$iqbulk" undo "$work/run-tn-note-snapshot" -o "$out" --endpoint "$endpoint" --rate "$RATE" "$@" >"$work/undo-$tag.out" 2>&1
	end=$(date +%s.%N)
	python3 -c "print(f'{$end-$start:.2f}')" >"$work/undo-secs-$tag"
	echo "undo --check of $ROWS tn-note rows at --rate $RATE ($tag): $(cat "$work/undo-secs-$tag") s; $(head -1 "$work/undo-$tag.out")"
}
undo_case concurrency-1 "$work/undo-1.csv" --concurrency 1
undo_case run-concurrency "$work/undo-4.csv"
python3 -c "
one=float(open('$work/undo-secs-concurrency-1').read()); four=float(open('$work/undo-secs-run-concurrency').read())
floor=$ROWS/100/$RATE
print(f'undo --check: {one:.2f} s one read at a time, {four:.2f} s at the run concurrency (4): {one/four:.2f}x faster; the rate-limit floor is {floor:.1f} s ({$ROWS//100} reads at $RATE/s), {four/floor:.2f}x the floor')"
cmp -s "$work/undo-1.csv" "$work/undo-4.csv" && echo "both manifests identical" || { echo "manifests differ" >&2; exit 1; }

# The same with the API's latency (LATENCY, default 200ms per answer; the
# sandbox on loopback answers in about a millisecond): one read at a time
# is latency-bound, concurrent reads reach the rate limit.
LATENCY="${LATENCY:-200ms}"
start_sandbox "$work/sandbox" --rate 0 --faults "latency=$LATENCY"
undo_case latency-concurrency-1 "$work/undo-1l.csv" --concurrency 1
undo_case latency-run-concurrency "$work/undo-4l.csv"
python3 -c "
one=float(open('$work/undo-secs-latency-concurrency-1').read()); four=float(open('$work/undo-secs-latency-run-concurrency').read())
floor=$ROWS/100/$RATE
print(f'undo --check with {\"$LATENCY\"} latency: {one:.2f} s one read at a time, {four:.2f} s at the run concurrency (4): {one/four:.2f}x faster; {four/floor:.2f}x the rate-limit floor of {floor:.1f} s')"
