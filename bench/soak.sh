#!/usr/bin/env bash
# Soak: N numbers (first argument, default 100000) through tn-order, then
# tn-feature (a calling name on each), then tn-disconnect, each with
# --follow until its orders are final, against a sandbox injecting
# error=0.05,lost=0.02,spike=0.05:50ms (simulated clock x1000 so orders
# close in moments). Every job is SIGKILLed 10 times at random moments
# (within 80% of its sending time at the rate) and resumed until done. Prints, per job: duplicates
# applied (a number applied twice by the job's operation, from the sandbox's
# audit.jsonl; must be 0), rows without a final outcome (must be 0), retries
# (summary.json "retries", summed over the sessions that finished; killed
# sessions write none), faults injected, runs, SIGKILLs and time.
#
# It drives cli/soak_test.go (TestSoakOrderFeatureDisconnect; the test
# binary stands in for iqbulk, so every kill hits a real process); CI runs
# its short form (300 numbers) in `go test ./...`. IQBULK_SOAK_RATE sets
# --rate (default 100).
# Exits non-zero when a duplicate or an unfinished row is found.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') memory, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%dT%H:%MZ)"
go test -c -o "$work/cli.test" ./cli
start=$(date +%s)
code=0
(cd cli && IQBULK_SOAK_N="$N" IQBULK_SOAK_FIGURES="$work/figures.jsonl" "$work/cli.test" \
	-test.run '^TestSoakOrderFeatureDisconnect$' -test.count 1 -test.timeout 0 -test.v) >"$work/test.log" 2>&1 || code=$?
end=$(date +%s)
grep -E 'soak_test|^(--- )?(PASS|FAIL)|^ok' "$work/test.log" | cut -c1-400 || true
if [[ ! -s "$work/figures.jsonl" ]]; then
	tail -20 "$work/test.log"
	echo "verdict: FAILED (no figures: the soak did not get through its first job)"
	exit 1
fi
python3 - "$work/figures.jsonl" "$N" "$((end - start))" "$code" <<'PY'
import json, sys
figs = [json.loads(l) for l in open(sys.argv[1])]
n, total, code = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
dups = sum(f["duplicates"] for f in figs)
notfinal = sum(f["not_final"] for f in figs)
for f in figs:
    print(f"{f['job']:14} {f['rows']} rows: duplicates applied {f['duplicates']}, without a final outcome {f['not_final']}, "
          f"outcomes {f['outcomes']}, retries {f['retries']}, requests {f['requests']} (finished sessions), "
          f"faults injected {f['faults']}, {f['runs']} runs / {f['kills']} SIGKILLs, {f['seconds']:.0f} s")
done = len(figs) == 3 and code == 0
ok = done and dups == 0 and notfinal == 0
print(f"total {total} s for {n} numbers x 3 jobs")
print("verdict: " + ("ok: 0 duplicates, every row final" if ok else
      f"FAILED: duplicates {dups}, not final {notfinal}, jobs finished {len(figs)}/3, test exit {code}"))
sys.exit(0 if ok else 1)
PY
